-- Tag rows carry their event's author, and tags_lookup covers kind and pubkey: a filter on tags and authors
-- (or kinds) is decided inside the index, without one events row per candidate (an author x tag filter with
-- an empty result read every event of the tag: 18 ms at 200k events).
ALTER TABLE tags ADD COLUMN pubkey TEXT NOT NULL DEFAULT '';
UPDATE tags SET pubkey = (SELECT e.pubkey FROM events e WHERE e.seq = tags.event_seq);
DROP INDEX tags_lookup;
CREATE INDEX tags_lookup ON tags (name, value, created_at, kind, pubkey);
