-- Blossom blobs (component "blossom"), SQLite. Times are unix seconds; hashes lowercase hex.
-- The bytes live in files named by sha256 under the blob directory; these rows index them.
CREATE TABLE blossom_blobs (
  sha256  TEXT    NOT NULL PRIMARY KEY,
  blake3  TEXT    NOT NULL UNIQUE,
  size    INTEGER NOT NULL,
  type    TEXT    NOT NULL,
  created INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX blossom_blobs_created ON blossom_blobs (created);

-- BUD-12 claims: who uploaded a blob and when. The bytes go when the last claim goes.
CREATE TABLE blossom_owners (
  sha256   TEXT    NOT NULL REFERENCES blossom_blobs (sha256) ON DELETE CASCADE,
  pubkey   TEXT    NOT NULL,
  uploaded INTEGER NOT NULL,
  PRIMARY KEY (sha256, pubkey)
) WITHOUT ROWID;
-- GET /list/<pubkey> pages through this in (uploaded, sha256) descending order.
CREATE INDEX blossom_owners_pubkey ON blossom_owners (pubkey, uploaded, sha256);

-- BUD-09 reports, one row per reported hash, kept for the operator.
CREATE TABLE blossom_reports (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT    NOT NULL,
  reporter    TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  report_type TEXT    NOT NULL,
  content     TEXT    NOT NULL,
  event       TEXT    NOT NULL,
  received    INTEGER NOT NULL,
  UNIQUE (event_id, sha256)
);
CREATE INDEX blossom_reports_sha256 ON blossom_reports (sha256);
