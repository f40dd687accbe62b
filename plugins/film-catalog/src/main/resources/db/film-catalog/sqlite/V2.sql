-- Blobs a film's playlists name, by sha256 (PROTOCOLS.md §1: the playlists are authoritative; the event's
-- segments list is only a hint). Filled by reading the master and variant playlists; the BLAKE3 of each child
-- is learnt in film_catalog_sha256 once its bytes are held. The master itself is row 0 (role 'master').
CREATE TABLE film_catalog_members (
  sha256 TEXT NOT NULL,
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  role TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (sha256, pubkey, d)
);
CREATE INDEX film_catalog_members_film ON film_catalog_members (pubkey, d);

-- Reading one film version's playlists: 'done', 'malformed' (reported, not retried for this version) or
-- 'unreachable' (retried with back-off); detail says what went wrong.
CREATE TABLE film_catalog_crawls (
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  event_id TEXT NOT NULL,
  state TEXT NOT NULL,
  detail TEXT,
  attempts INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (pubkey, d)
);
