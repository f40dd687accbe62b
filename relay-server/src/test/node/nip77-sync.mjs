// Reconciles a set of (created_at, id) records with a relay through nostr-tools' NIP-77 client
// (NegentropySync). Usage: node nip77-sync.mjs ws://127.0.0.1:PORT input.json, the file holding
// {"filter": {...}, "records": [[created_at, "id"], ...]}. Prints one JSON line {"have": [...], "need": [...]}
// (ids we hold that the relay lacks, ids the relay holds that we lack) and exits 0; exits 1 on a NEG-ERR.
import { readFileSync } from "node:fs";
import { Relay, useWebSocketImplementation } from "nostr-tools/relay";
// nostr-tools ships nip77 in its package but leaves it out of "exports", so it is loaded by file.
import { NegentropyStorageVector, NegentropySync } from "./node_modules/nostr-tools/lib/esm/nip77.js";
import WebSocket from "ws";

useWebSocketImplementation(WebSocket);
const url = process.argv[2];
if (!/^ws:\/\/127\.0\.0\.1:\d+\/?$/.test(url)) { console.error("loopback ws:// URL required"); process.exit(2); }
const hard = setTimeout(() => { console.error("timed out"); process.exit(3); }, 60000);
const input = JSON.parse(readFileSync(process.argv[3], "utf8"));

const storage = new NegentropyStorageVector();
for (const [createdAt, id] of input.records) storage.insert(createdAt, id);
storage.seal();

const relay = await Relay.connect(url);
const have = new Set();
const need = new Set();
let negErr;
const outcome = await new Promise((resolve) => {
  const sync = new NegentropySync(relay, storage, input.filter, {
    onhave: (id) => have.add(id),
    onneed: (id) => need.add(id),
    onclose: (reason) => resolve(reason),
  });
  // NegentropySync reports a NEG-ERR like a finished session (onclose without a reason): note it here.
  const handle = sync.subscription.oncustom;
  sync.subscription.oncustom = (data) => {
    if (data[0] === "NEG-ERR") negErr = data[2];
    handle(data);
  };
  sync.start();
});
clearTimeout(hard);
relay.close();
if (negErr !== undefined || outcome !== undefined) {
  console.error("FAIL session ended with " + (negErr ?? outcome));
  process.exit(1);
}
console.log(JSON.stringify({ have: [...have].sort(), need: [...need].sort() }));
process.exit(0);
