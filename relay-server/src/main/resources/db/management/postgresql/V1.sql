-- NIP-86 relay management (component "management"), PostgreSQL. Times are unix seconds; keys and ids lowercase hex.
-- Each table holds one list per status, so banning a pubkey takes it off the allow list in the same row write.
CREATE TABLE management_pubkeys (
  pubkey  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  status  TEXT    NOT NULL CHECK (status IN ('banned', 'allowed')),
  reason  TEXT    NOT NULL,
  updated BIGINT NOT NULL
);
CREATE TABLE management_events (
  id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  status  TEXT    NOT NULL CHECK (status IN ('banned', 'allowed')),
  reason  TEXT    NOT NULL,
  updated BIGINT NOT NULL
);
CREATE TABLE management_kinds (
  kind    INTEGER NOT NULL PRIMARY KEY,
  status  TEXT    NOT NULL CHECK (status IN ('allowed', 'disallowed')),
  updated BIGINT NOT NULL
);
CREATE TABLE management_blocked_ips (
  ip      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  reason  TEXT    NOT NULL,
  updated BIGINT NOT NULL
);
-- The relay's NIP-11 name, description and icon as changed by an admin (over the config's values).
CREATE TABLE management_settings (
  name  TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
-- Bumped by every change in the change's transaction: each process polls it and reloads the lists when it moves.
CREATE TABLE management_version (
  id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO management_version (id, version) VALUES (1, 0);
