-- ecash-gate (component "ecash-gate"), PostgreSQL. Amounts in sats, sizes in bytes, times in unix milliseconds.
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
  y         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  mint      TEXT COLLATE "C" NOT NULL,
  keyset_id TEXT COLLATE "C" NOT NULL,
  amount    BIGINT NOT NULL CHECK (amount > 0),
  secret    TEXT   NOT NULL,
  c         TEXT   NOT NULL,
  dleq      TEXT,
  state     TEXT COLLATE "C" NOT NULL,
  op        TEXT COLLATE "C",
  created   BIGINT NOT NULL,
  updated   BIGINT NOT NULL
);
CREATE INDEX ecash_gate_proofs_select ON ecash_gate_proofs (mint, state, amount);
CREATE INDEX ecash_gate_proofs_op ON ecash_gate_proofs (op);

-- NUT-13 counters, one per keyset: the next unused counter. Only ever raised.
CREATE TABLE ecash_gate_counters (
  keyset_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  next      BIGINT NOT NULL CHECK (next >= 0)
);

-- The write-ahead journal of wallet operations: written before any mint call, so an operation whose answer was
-- lost can be finished from here (same outputs replayed, or NUT-09 restore). kind: receive | send | mint | melt;
-- state: prepared | dispatched | done | failed.
CREATE TABLE ecash_gate_ops (
  id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  kind       TEXT COLLATE "C" NOT NULL,
  mint       TEXT COLLATE "C" NOT NULL,
  state      TEXT COLLATE "C" NOT NULL,
  keyset_id  TEXT COLLATE "C",
  counter    BIGINT,
  amounts    TEXT,
  send_count INTEGER NOT NULL DEFAULT 0,
  inputs     TEXT,
  quote      TEXT,
  quote_key  TEXT,
  amount     BIGINT NOT NULL DEFAULT 0,
  fee        BIGINT NOT NULL DEFAULT 0,
  detail     TEXT,
  created    BIGINT NOT NULL,
  updated    BIGINT NOT NULL
);
CREATE INDEX ecash_gate_ops_open ON ecash_gate_ops (state, updated);

-- Metered sessions: a balance in bytes per (session, service, scope), so credit bought for one scope never
-- pays for another.
CREATE TABLE ecash_gate_sessions (
  id       TEXT COLLATE "C" NOT NULL,
  service  TEXT COLLATE "C" NOT NULL,
  scope    TEXT COLLATE "C" NOT NULL,
  balance  BIGINT NOT NULL,
  credited BIGINT NOT NULL,
  debited  BIGINT NOT NULL,
  created  BIGINT NOT NULL,
  updated  BIGINT NOT NULL,
  PRIMARY KEY (id, service, scope)
);

-- Tokens presented to the gate, by the SHA-256 of their sorted Ys: the replay set and the per-token claim.
-- state: pending (swap not confirmed) | credited | refused. provisional = 1 when fail_open credited it on trust.
CREATE TABLE ecash_gate_tokens (
  hash         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  session      TEXT COLLATE "C" NOT NULL,
  service      TEXT COLLATE "C" NOT NULL,
  scope        TEXT COLLATE "C" NOT NULL,
  mint         TEXT COLLATE "C" NOT NULL,
  amount       BIGINT  NOT NULL,
  fee          BIGINT  NOT NULL DEFAULT 0,
  bytes        BIGINT  NOT NULL DEFAULT 0,
  sats_per_mb  BIGINT  NOT NULL,
  state        TEXT COLLATE "C" NOT NULL,
  provisional  INTEGER NOT NULL DEFAULT 0,
  token        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt BIGINT  NOT NULL DEFAULT 0,
  lease_until  BIGINT  NOT NULL DEFAULT 0,
  reason       TEXT,
  created      BIGINT  NOT NULL,
  updated      BIGINT  NOT NULL
);
CREATE INDEX ecash_gate_tokens_retry ON ecash_gate_tokens (state, next_attempt);

-- Every Y ever presented, so the same proofs cannot come back inside a different token.
CREATE TABLE ecash_gate_seen_ys (
  y    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  hash TEXT COLLATE "C" NOT NULL
);

-- The revenue ledger, append-only (the trigger refuses changes). kind: credit | deferred | settled | loss |
-- swap_fee | debit. sats and bytes are what moved; see archy.ecash.ledger.Ledger for how they reconcile.
CREATE TABLE ecash_gate_ledger (
  id      BIGSERIAL PRIMARY KEY,
  at      BIGINT NOT NULL,
  kind    TEXT COLLATE "C" NOT NULL,
  service TEXT COLLATE "C" NOT NULL,
  scope   TEXT COLLATE "C" NOT NULL,
  session TEXT COLLATE "C",
  mint    TEXT COLLATE "C",
  sats    BIGINT NOT NULL DEFAULT 0,
  bytes   BIGINT NOT NULL DEFAULT 0,
  ref     TEXT COLLATE "C"
);
CREATE INDEX ecash_gate_ledger_service ON ecash_gate_ledger (service, kind);
CREATE FUNCTION ecash_gate_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ecash_gate_ledger is append-only';
END $$;
CREATE TRIGGER ecash_gate_ledger_append_only BEFORE UPDATE OR DELETE ON ecash_gate_ledger
FOR EACH ROW EXECUTE FUNCTION ecash_gate_ledger_append_only();

-- Cross-mint transfers (PROTOCOLS.md §6): value moved from mint A (source) to mint B (target) over Lightning by
-- B's mint quote and A's melt, two operations of ecash_gate_ops whose ids are written here before either is
-- made, so a restart finds them. state: planned | quoted | paying | funded | completed | failed.
CREATE TABLE ecash_gate_transfers (
  id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  source  TEXT COLLATE "C" NOT NULL,
  target  TEXT COLLATE "C" NOT NULL,
  amount  BIGINT NOT NULL,
  max_fee BIGINT NOT NULL,
  mint_op TEXT COLLATE "C" NOT NULL,
  melt_op TEXT COLLATE "C" NOT NULL,
  state   TEXT COLLATE "C" NOT NULL,
  fee     BIGINT NOT NULL DEFAULT 0,
  detail  TEXT,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL
);
CREATE INDEX ecash_gate_transfers_open ON ecash_gate_transfers (state, updated);
