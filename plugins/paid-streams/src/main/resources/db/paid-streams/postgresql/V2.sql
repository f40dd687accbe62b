-- One line per observation sold (per debit batch), not per subscriber: a live observation to 1,000 payers
-- wrote 1,000 ledger rows in its debit transaction, most of the time priced fan-out spent (docs/benchmarks.md).
-- What each subscriber paid and was delivered stays in stream_payments and stream_grants.
CREATE TABLE stream_sales (
  at BIGINT NOT NULL,
  publisher TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq BIGINT NOT NULL,
  copies BIGINT NOT NULL,
  sats BIGINT NOT NULL,
  relay_sats BIGINT NOT NULL
);
INSERT INTO stream_sales (at, publisher, stream, seq, copies, sats, relay_sats)
  SELECT MIN(at), publisher, stream, seq, COUNT(*), SUM(sats), SUM(relay_sats) FROM stream_ledger
  GROUP BY publisher, stream, seq;
DROP TABLE stream_ledger;
CREATE INDEX stream_sales_publisher ON stream_sales (publisher);
