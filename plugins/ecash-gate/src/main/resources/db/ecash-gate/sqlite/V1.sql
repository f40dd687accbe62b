-- ecash-gate (component "ecash-gate"), SQLite. Amounts in sats, sizes in bytes, times in unix milliseconds.
-- Secrets, tokens and quote ids live here because this is the wallet: back the database up, never log it.

-- The wallet's NUT-13 seed: one row, made on first start. Every process sharing the database derives the same
-- secrets from it, which is what makes NUT-09 restore work for all of them.
CREATE TABLE ecash_gate_wallet (
  id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seed TEXT    NOT NULL
);

-- Proofs held, by Y = hash_to_curve(secret). state: unspent | reserved (chosen by an operation, not yet sent to
-- the mint) | pending (in a mint call of unknown outcome, or handed out in a token) | spent.
CREATE TABLE ecash_gate_proofs (
  y         TEXT    NOT NULL PRIMARY KEY,
  mint      TEXT    NOT NULL,
  keyset_id TEXT    NOT NULL,
  amount    INTEGER NOT NULL CHECK (amount > 0),
  secret    TEXT    NOT NULL,
  c         TEXT    NOT NULL,
  dleq      TEXT,
  state     TEXT    NOT NULL,
  op        TEXT,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ecash_gate_proofs_select ON ecash_gate_proofs (mint, state, amount);
CREATE INDEX ecash_gate_proofs_op ON ecash_gate_proofs (op);

-- NUT-13 counters, one per keyset: the next unused counter. Only ever raised.
CREATE TABLE ecash_gate_counters (
  keyset_id TEXT    NOT NULL PRIMARY KEY,
  next      INTEGER NOT NULL CHECK (next >= 0)
) WITHOUT ROWID;

-- The write-ahead journal of wallet operations: written before any mint call, so an operation whose answer was
-- lost can be finished from here (same outputs replayed, or NUT-09 restore). kind: receive | send | mint | melt;
-- state: prepared | dispatched | done | failed.
CREATE TABLE ecash_gate_ops (
  id        TEXT    NOT NULL PRIMARY KEY,
  kind      TEXT    NOT NULL,
  mint      TEXT    NOT NULL,
  state     TEXT    NOT NULL,
  keyset_id TEXT,
  counter   INTEGER,
  amounts   TEXT,
  send_count INTEGER NOT NULL DEFAULT 0,
  inputs    TEXT,
  quote     TEXT,
  quote_key TEXT,
  amount    INTEGER NOT NULL DEFAULT 0,
  fee       INTEGER NOT NULL DEFAULT 0,
  detail    TEXT,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ecash_gate_ops_open ON ecash_gate_ops (state, updated);

-- Metered sessions: a balance in bytes per (session, service, scope), so credit bought for one scope never
-- pays for another.
CREATE TABLE ecash_gate_sessions (
  id       TEXT    NOT NULL,
  service  TEXT    NOT NULL,
  scope    TEXT    NOT NULL,
  balance  INTEGER NOT NULL,
  credited INTEGER NOT NULL,
  debited  INTEGER NOT NULL,
  created  INTEGER NOT NULL,
  updated  INTEGER NOT NULL,
  PRIMARY KEY (id, service, scope)
) WITHOUT ROWID;

-- Tokens presented to the gate, by the SHA-256 of their sorted Ys: the replay set and the per-token claim.
-- state: pending (swap not confirmed) | credited | refused. provisional = 1 when fail_open credited it on trust.
CREATE TABLE ecash_gate_tokens (
  hash         TEXT    NOT NULL PRIMARY KEY,
  session      TEXT    NOT NULL,
  service      TEXT    NOT NULL,
  scope        TEXT    NOT NULL,
  mint         TEXT    NOT NULL,
  amount       INTEGER NOT NULL,
  fee          INTEGER NOT NULL DEFAULT 0,
  bytes        INTEGER NOT NULL DEFAULT 0,
  sats_per_mb  INTEGER NOT NULL,
  state        TEXT    NOT NULL,
  provisional  INTEGER NOT NULL DEFAULT 0,
  token        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL DEFAULT 0,
  lease_until  INTEGER NOT NULL DEFAULT 0,
  reason       TEXT,
  created      INTEGER NOT NULL,
  updated      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ecash_gate_tokens_retry ON ecash_gate_tokens (state, next_attempt);

-- Every Y ever presented, so the same proofs cannot come back inside a different token.
CREATE TABLE ecash_gate_seen_ys (
  y    TEXT NOT NULL PRIMARY KEY,
  hash TEXT NOT NULL
) WITHOUT ROWID;

-- The revenue ledger, append-only (the triggers refuse changes). kind: credit | deferred | settled | loss |
-- swap_fee | debit. sats and bytes are what moved; see archy.ecash.ledger.Ledger for how they reconcile.
CREATE TABLE ecash_gate_ledger (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,
  kind    TEXT    NOT NULL,
  service TEXT    NOT NULL,
  scope   TEXT    NOT NULL,
  session TEXT,
  mint    TEXT,
  sats    INTEGER NOT NULL DEFAULT 0,
  bytes   INTEGER NOT NULL DEFAULT 0,
  ref     TEXT
);
CREATE INDEX ecash_gate_ledger_service ON ecash_gate_ledger (service, kind);
CREATE TRIGGER ecash_gate_ledger_no_update BEFORE UPDATE ON ecash_gate_ledger
BEGIN SELECT RAISE(ABORT, 'ecash_gate_ledger is append-only'); END;
CREATE TRIGGER ecash_gate_ledger_no_delete BEFORE DELETE ON ecash_gate_ledger
BEGIN SELECT RAISE(ABORT, 'ecash_gate_ledger is append-only'); END;

-- Cross-mint transfers (PROTOCOLS.md §6): value moved from mint A (source) to mint B (target) over Lightning by
-- B's mint quote and A's melt, two operations of ecash_gate_ops whose ids are written here before either is
-- made, so a restart finds them. state: planned | quoted | paying | funded | completed | failed.
CREATE TABLE ecash_gate_transfers (
  id      TEXT NOT NULL PRIMARY KEY,
  source  TEXT NOT NULL,
  target  TEXT NOT NULL,
  amount  INTEGER NOT NULL,
  max_fee INTEGER NOT NULL,
  mint_op TEXT NOT NULL,
  melt_op TEXT NOT NULL,
  state   TEXT NOT NULL,
  fee     INTEGER NOT NULL DEFAULT 0,
  detail  TEXT,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ecash_gate_transfers_open ON ecash_gate_transfers (state, updated);
