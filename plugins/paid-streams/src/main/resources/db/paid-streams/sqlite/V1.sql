-- Observations of streams by seq, written after each is stored: catch-up reads them in seq order.
CREATE TABLE stream_observations (
  stream TEXT NOT NULL,
  seq BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (stream, seq)
);
-- Per (subscriber, stream): sats left and the highest seq delivered. Debits are conditional updates on both.
CREATE TABLE stream_grants (
  subscriber TEXT NOT NULL,
  stream TEXT NOT NULL,
  balance_sats BIGINT NOT NULL,
  last_delivered_seq BIGINT NOT NULL,
  PRIMARY KEY (subscriber, stream)
);
-- Each token credited once (its hash); a token seen again means "resend".
CREATE TABLE stream_payments (
  token_hash TEXT PRIMARY KEY,
  subscriber TEXT NOT NULL,
  stream TEXT NOT NULL,
  sats BIGINT NOT NULL,
  at BIGINT NOT NULL
);
-- One line per debit: what the publisher earned and the relay's share.
CREATE TABLE stream_ledger (
  at BIGINT NOT NULL,
  publisher TEXT NOT NULL,
  stream TEXT NOT NULL,
  subscriber TEXT NOT NULL,
  seq BIGINT NOT NULL,
  sats BIGINT NOT NULL,
  relay_sats BIGINT NOT NULL
);
CREATE INDEX stream_ledger_publisher ON stream_ledger (publisher);
-- The publishers' earnings not yet paid out.
CREATE TABLE stream_publishers (
  publisher TEXT PRIMARY KEY,
  balance_sats BIGINT NOT NULL
);
