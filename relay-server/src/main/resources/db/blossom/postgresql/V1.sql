-- Blossom blobs (component "blossom"), PostgreSQL. Times are unix seconds; hashes lowercase hex.
-- The bytes live in files named by sha256 under the blob directory; these rows index them.
CREATE TABLE blossom_blobs (
  sha256  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  blake3  TEXT COLLATE "C" NOT NULL UNIQUE,
  size    BIGINT NOT NULL,
  type    TEXT   NOT NULL,
  created BIGINT NOT NULL
);
CREATE INDEX blossom_blobs_created ON blossom_blobs (created);

-- BUD-12 claims: who uploaded a blob and when. The bytes go when the last claim goes.
CREATE TABLE blossom_owners (
  sha256   TEXT COLLATE "C" NOT NULL REFERENCES blossom_blobs (sha256) ON DELETE CASCADE,
  pubkey   TEXT COLLATE "C" NOT NULL,
  uploaded BIGINT NOT NULL,
  PRIMARY KEY (sha256, pubkey)
);
-- GET /list/<pubkey> pages through this in (uploaded, sha256) descending order.
CREATE INDEX blossom_owners_pubkey ON blossom_owners (pubkey, uploaded, sha256);

-- BUD-09 reports, one row per reported hash, kept for the operator.
CREATE TABLE blossom_reports (
  id          BIGSERIAL PRIMARY KEY,
  event_id    TEXT COLLATE "C" NOT NULL,
  reporter    TEXT COLLATE "C" NOT NULL,
  sha256      TEXT COLLATE "C" NOT NULL,
  report_type TEXT   NOT NULL,
  content     TEXT   NOT NULL,
  event       TEXT   NOT NULL,
  received    BIGINT NOT NULL,
  UNIQUE (event_id, sha256)
);
CREATE INDEX blossom_reports_sha256 ON blossom_reports (sha256);
