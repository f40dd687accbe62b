-- The film catalog's own index, rebuilt from stored events on every start (the events are the truth).
-- Newest version per (pubkey, d) of every stored kind 30082; listed = 1 while the publisher is trusted.
CREATE TABLE film_catalog_films (
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  event_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  title TEXT NOT NULL,
  title_search TEXT NOT NULL,
  master_sha256 TEXT NOT NULL,
  playlist_blake3 TEXT NOT NULL,
  sats_per_mb BIGINT,
  encrypted INTEGER NOT NULL,
  creator_verified INTEGER NOT NULL,
  blob_count INTEGER NOT NULL,
  listed INTEGER NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (pubkey, d)
);
CREATE INDEX film_catalog_films_newest ON film_catalog_films (listed, created_at DESC, event_id DESC);

CREATE TABLE film_catalog_genres (
  genre TEXT NOT NULL,
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  PRIMARY KEY (genre, pubkey, d)
);
CREATE INDEX film_catalog_genres_film ON film_catalog_genres (pubkey, d);

-- Which blobs (by BLAKE3) make up which film: poster, playlist, segments.
CREATE TABLE film_catalog_blobs (
  blake3 TEXT NOT NULL,
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  role TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (blake3, pubkey, d)
);
CREATE INDEX film_catalog_blobs_film ON film_catalog_blobs (pubkey, d);

-- sha256 -> blake3 pairs the catalog knows: x tags of films and adverts, and pairs reported by the blob store.
CREATE TABLE film_catalog_sha256 (
  sha256 TEXT PRIMARY KEY,
  blake3 TEXT NOT NULL
);
CREATE INDEX film_catalog_sha256_blake3 ON film_catalog_sha256 (blake3);

-- Newest kind 30081 advert per (seeder, d); endpoints as a JSON array.
CREATE TABLE film_catalog_adverts (
  seeder TEXT NOT NULL,
  blake3 TEXT NOT NULL,
  film_pubkey TEXT,
  film_d TEXT,
  sha256 TEXT,
  endpoints TEXT NOT NULL,
  sats_per_mb BIGINT,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (seeder, blake3)
);
CREATE INDEX film_catalog_adverts_blob ON film_catalog_adverts (blake3, expires_at);
CREATE INDEX film_catalog_adverts_film ON film_catalog_adverts (film_pubkey, film_d, expires_at);
CREATE INDEX film_catalog_adverts_expiry ON film_catalog_adverts (expires_at);

-- Upstream sync: everything created before `since` has been fetched from that relay.
CREATE TABLE film_catalog_upstreams (
  url TEXT PRIMARY KEY,
  since BIGINT NOT NULL
);

-- NIP-71 companions this node published, so a restart does not publish them again.
CREATE TABLE film_catalog_companions (
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  film_event_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (pubkey, d)
);
