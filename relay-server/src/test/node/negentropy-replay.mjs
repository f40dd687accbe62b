// Replays a negentropy session recorded by the Java tests through nostr-tools' nip77 implementation (the
// client side of the negentropy v1 reference): its initial message and every message it sends in answer to
// the recorded server messages must be byte-identical to ours, and its have/need sets equal ours.
// Usage: node negentropy-replay.mjs transcript.json, where the file holds
// {"client": [[created_at, "id"], ...], "messages": ["hex", ...]} (client, server, client, ... in order).
// Prints one JSON line: {"have": [...], "need": [...]} and exits 0, or prints FAIL and exits 1.
import { readFileSync } from "node:fs";
// nostr-tools ships nip77 in its package but leaves it out of "exports", so it is loaded by file.
import { Negentropy, NegentropyStorageVector } from "./node_modules/nostr-tools/lib/esm/nip77.js";

const fail = (msg) => { console.error("FAIL " + msg); process.exit(1); };
const transcript = JSON.parse(readFileSync(process.argv[2], "utf8"));

const storage = new NegentropyStorageVector();
for (const [createdAt, id] of transcript.client) storage.insert(createdAt, id);
storage.seal();
const neg = new Negentropy(storage, 0x7fffffff);

const have = new Set();
const need = new Set();
const messages = transcript.messages;
if (neg.initiate() !== messages[0]) fail("initial message differs");
for (let i = 1; i < messages.length; i += 2) {
  const next = neg.reconcile(messages[i], (id) => have.add(id), (id) => need.add(id));
  const ours = i + 1 < messages.length ? messages[i + 1] : null;
  if (next !== ours) fail(`message ${i + 1} differs: nostr-tools ${next}, archy ${ours}`);
}
console.log(JSON.stringify({ have: [...have].sort(), need: [...need].sort() }));
