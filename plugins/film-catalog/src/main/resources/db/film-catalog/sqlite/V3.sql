-- Private films (PROTOCOLS.md §2.1 enc, key_ref "nip98"): the AES-128 key of each encrypted film this node
-- publishes, put here by its publisher (never a blob), and the viewers the publisher granted it to.
CREATE TABLE film_catalog_keys (
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  key_hex TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (pubkey, d)
);

CREATE TABLE film_catalog_grants (
  pubkey TEXT NOT NULL,
  d TEXT NOT NULL,
  viewer TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (pubkey, d, viewer)
);
