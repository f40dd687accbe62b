// Drives a relay with nostr-tools, the library most web Nostr clients use. Exits 0 when every step
// behaved as NIP-01 says; prints one line per step. Usage: node nostr-tools-client.mjs ws://127.0.0.1:PORT
import { Relay, useWebSocketImplementation } from "nostr-tools/relay";
import { generateSecretKey, getPublicKey, finalizeEvent, verifyEvent } from "nostr-tools/pure";
import WebSocket from "ws";

useWebSocketImplementation(WebSocket);
const url = process.argv[2];
if (!/^ws:\/\/127\.0\.0\.1:\d+\/?$/.test(url)) { console.error("loopback ws:// URL required"); process.exit(2); }
const hard = setTimeout(() => { console.error("timed out"); process.exit(3); }, 20000);
const fail = (msg) => { console.error("FAIL " + msg); process.exit(1); };
const step = (msg) => console.log("ok " + msg);

const sk = generateSecretKey();
const pk = getPublicKey(sk);
const now = Math.floor(Date.now() / 1000);

const relay = await Relay.connect(url);
step("connected");

const first = finalizeEvent({ kind: 1, created_at: now - 2, tags: [["t", "archy-interop"]], content: "hello from nostr-tools \"quoted\"\n✓" }, sk);
await relay.publish(first);
step("published kind 1");

const second = finalizeEvent({ kind: 1, created_at: now - 1, tags: [], content: "second" }, sk);
await relay.publish(second);

const received = [];
await new Promise((resolve) => {
  const sub = relay.subscribe([{ authors: [pk] }], {
    onevent(e) { received.push(e); },
    oneose() { sub.close(); resolve(); },
  });
});
if (received.length !== 2) fail(`expected 2 stored events, got ${received.length}`);
if (received[0].id !== second.id || received[1].id !== first.id) fail("stored events not newest first");
if (!received.every(verifyEvent)) fail("returned events do not verify");
if (received[1].content !== first.content) fail("content changed in storage");
step("REQ returned both events newest first, signatures intact");

const live = new Promise((resolve) => {
  const sub = relay.subscribe([{ "#t": ["archy-live-" + pk] }], {
    onevent(e) { sub.close(); resolve(e); },
  });
});
const third = finalizeEvent({ kind: 1, created_at: now, tags: [["t", "archy-live-" + pk]], content: "live" }, sk);
await relay.publish(third);
const liveEvent = await live;
if (liveEvent.id !== third.id) fail("live event mismatch");
step("live event delivered to an open subscription");

const meta1 = finalizeEvent({ kind: 0, created_at: now - 10, tags: [], content: "{\"name\":\"old\"}" }, sk);
const meta2 = finalizeEvent({ kind: 0, created_at: now - 5, tags: [], content: "{\"name\":\"new\"}" }, sk);
await relay.publish(meta1);
await relay.publish(meta2);
const metas = [];
await new Promise((resolve) => {
  const sub = relay.subscribe([{ kinds: [0], authors: [pk] }], { onevent(e) { metas.push(e); }, oneose() { sub.close(); resolve(); } });
});
if (metas.length !== 1 || metas[0].id !== meta2.id) fail("replaceable event not replaced");
step("replaceable kind 0 replaced by the newer one");

const n = await relay.count([{ authors: [pk], kinds: [1] }], {});
if (n !== 3) fail(`COUNT returned ${n}, expected 3`);
step("COUNT");

let rejected = null;
try {
  const bad = { ...finalizeEvent({ kind: 1, created_at: now, tags: [], content: "x" }, sk) };
  bad.content = "tampered";
  await relay.publish(bad);
} catch (e) { rejected = String(e.message || e); }
if (!rejected || !rejected.startsWith("invalid:")) fail("tampered event not rejected with invalid: (" + rejected + ")");
step("tampered event rejected: " + rejected);

relay.close();
clearTimeout(hard);
console.log("nostr-tools interop passed");
