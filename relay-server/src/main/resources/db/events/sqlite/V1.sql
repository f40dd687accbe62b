-- Events (component "events"), SQLite. Times are unix seconds.
-- seq is the row's arrival order; AUTOINCREMENT keeps it from ever being reused after deletes.
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,
  pubkey     TEXT    NOT NULL,
  kind       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  address    TEXT,            -- '' for replaceable kinds, the d value for addressable ones, NULL otherwise
  json       TEXT    NOT NULL
);
-- {authors} walks the first in time order; {authors, kinds} seeks the second.
CREATE INDEX events_pubkey_created ON events (pubkey, created_at);
CREATE INDEX events_pubkey_kind_created ON events (pubkey, kind, created_at);
CREATE INDEX events_kind_created ON events (kind, created_at);
CREATE INDEX events_created ON events (created_at);
-- One version per address; also what makes replacement atomic.
CREATE UNIQUE INDEX events_address ON events (pubkey, kind, address) WHERE address IS NOT NULL;
CREATE INDEX events_expires ON events (expires_at) WHERE expires_at IS NOT NULL;

-- Single-letter tags (first value only), copied with kind and created_at so a tag filter is answered from
-- tags_lookup in created_at order before touching events. The primary key dedupes (name, value) per
-- event and serves ON DELETE CASCADE and the EXISTS probes of further tag conditions.
CREATE TABLE tags (
  event_seq  INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  kind       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (event_seq, name, value)
) WITHOUT ROWID;
CREATE INDEX tags_lookup ON tags (name, value, created_at);

-- NIP-09 tombstones: ids deleted by their author (blocks re-publishing) ...
CREATE TABLE deleted_events (
  id     TEXT NOT NULL,
  pubkey TEXT NOT NULL,
  PRIMARY KEY (id, pubkey)
) WITHOUT ROWID;
-- ... and addresses deleted up to a created_at (blocks older versions, allows newer ones).
CREATE TABLE deleted_addresses (
  pubkey        TEXT    NOT NULL,
  kind          INTEGER NOT NULL,
  address       TEXT    NOT NULL,
  deleted_until INTEGER NOT NULL,
  PRIMARY KEY (pubkey, kind, address)
) WITHOUT ROWID;
