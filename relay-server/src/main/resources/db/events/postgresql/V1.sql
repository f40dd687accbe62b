-- Events (component "events"), PostgreSQL. Times are unix seconds.
-- Hex and tag columns use the "C" collation: byte order is what NIP-01's "lower id first" means, and
-- C comparisons are the cheapest.
CREATE TABLE events (
  seq        BIGSERIAL PRIMARY KEY,
  id         TEXT COLLATE "C" NOT NULL UNIQUE,
  pubkey     TEXT COLLATE "C" NOT NULL,
  kind       INTEGER NOT NULL,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT,
  address    TEXT COLLATE "C",   -- '' for replaceable kinds, the d value for addressable ones, NULL otherwise
  json       TEXT    NOT NULL
);
-- {authors} walks the first in time order; {authors, kinds} seeks the second.
CREATE INDEX events_pubkey_created ON events (pubkey, created_at);
CREATE INDEX events_pubkey_kind_created ON events (pubkey, kind, created_at);
CREATE INDEX events_kind_created ON events (kind, created_at);
CREATE INDEX events_created ON events (created_at);
-- One version per address: two relay processes racing on an address meet here and one retries.
CREATE UNIQUE INDEX events_address ON events (pubkey, kind, address) WHERE address IS NOT NULL;
CREATE INDEX events_expires ON events (expires_at) WHERE expires_at IS NOT NULL;

-- Single-letter tags (first value only), copied with kind and created_at so a tag filter is answered from
-- tags_lookup in created_at order before touching events. The primary key dedupes (name, value) per
-- event and serves ON DELETE CASCADE and the EXISTS probes of further tag conditions.
CREATE TABLE tags (
  event_seq  BIGINT  NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  name       TEXT COLLATE "C" NOT NULL,
  value      TEXT COLLATE "C" NOT NULL,
  kind       INTEGER NOT NULL,
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (event_seq, name, value)
);
CREATE INDEX tags_lookup ON tags (name, value, created_at);

-- NIP-09 tombstones: ids deleted by their author (blocks re-publishing) ...
CREATE TABLE deleted_events (
  id     TEXT COLLATE "C" NOT NULL,
  pubkey TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (id, pubkey)
);
-- ... and addresses deleted up to a created_at (blocks older versions, allows newer ones).
CREATE TABLE deleted_addresses (
  pubkey        TEXT COLLATE "C" NOT NULL,
  kind          INTEGER NOT NULL,
  address       TEXT COLLATE "C" NOT NULL,
  deleted_until BIGINT  NOT NULL,
  PRIMARY KEY (pubkey, kind, address)
);
