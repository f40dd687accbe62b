-- ecash-gate V2 (SQLite): per-operation leases, NUT-07 check times of handed-out proofs, and what a send was for.

-- Who is working on a wallet operation or transfer (by its id) and until when. A live call holds its lease and
-- renews it; recovery takes over only an operation whose lease lapsed (its process died), so a sweep never races
-- a call still in flight, and of two processes resuming one operation only one does.
CREATE TABLE ecash_gate_leases (
  id    TEXT    NOT NULL PRIMARY KEY,
  owner TEXT    NOT NULL,
  until INTEGER NOT NULL
) WITHOUT ROWID;

-- When NUT-07 last said where a handed-out (pending) proof stands: the sweep asks about the least recently
-- checked first, in bounded batches, so every pending proof gets its turn however many there are.
ALTER TABLE ecash_gate_proofs ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;

-- What an operation was for, shown in `archy wallet history` (e.g. "payment http://host"); never a secret.
ALTER TABLE ecash_gate_ops ADD COLUMN note TEXT;
