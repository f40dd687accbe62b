// nostr-tools (unmodified: its NIP-42 auth, NIP-44 v2 and NIP-11 fetch) as the publisher and the paying subscriber
// of two priced streams on a real node, walking PROTOCOLS.md §7. Prints "ok <step>" per step and a last JSON line.
// Usage: node stream-subscriber.mjs ws://127.0.0.1:PORT <input.json>, the input written by StreamNostrToolsInteropTest:
// {"publisher": hex secret, "subscriber": hex secret, "price": sats, "tokens": {three, two, one, twelve, other,
// spent, foreign}}. Tokens are never printed.
import { Relay, useWebSocketImplementation } from "nostr-tools/relay";
import { finalizeEvent, getPublicKey } from "nostr-tools/pure";
import { v2 as nip44 } from "nostr-tools/nip44";
import { fetchRelayInformation } from "nostr-tools/nip11";
import { hexToBytes } from "nostr-tools/utils";
import { readFileSync } from "node:fs";
import WebSocket from "ws";

useWebSocketImplementation(WebSocket);
const url = process.argv[2];
if (!/^ws:\/\/127\.0\.0\.1:\d+\/?$/.test(url)) { console.error("loopback ws:// URL required"); process.exit(2); }
const input = JSON.parse(readFileSync(process.argv[3], "utf8"));
const hard = setTimeout(() => { console.error("timed out"); process.exit(3); }, 90000);
const fail = (msg) => { console.error("FAIL " + msg); process.exit(1); };
const step = (msg) => console.log("ok " + msg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);

const pubSk = hexToBytes(input.publisher);
const subSk = hexToBytes(input.subscriber);
const pubPk = getPublicKey(pubSk);
const price = input.price;
const tokens = input.tokens;
const address = (d) => `30083:${pubPk}:${d}`;
const A = "prices";
const B = "other";

/** Connects and, given a key, answers the relay's AUTH challenge with nostr-tools' own NIP-42 event. */
async function connect(sk) {
  const relay = new Relay(url);
  const notices = [];
  relay.onnotice = (m) => notices.push(m);
  await relay.connect();
  relay.notices = notices;
  if (sk) {
    for (let i = 0; i < 100 && !relay.challenge; i++) await sleep(20);
    if (!relay.challenge) fail("no AUTH challenge");
    await relay.auth((template) => finalizeEvent(template, sk));
  }
  return relay;
}

/** Resolves once `array` holds `want` items (or 15 s passed), and then nothing new arrived for `quiet` ms. */
async function settle(array, want = 0, quiet = 1200) {
  for (const until = Date.now() + 15000; array.length < want && Date.now() < until; ) await sleep(20);
  let n = -1;
  while (n !== array.length) {
    n = array.length;
    await sleep(quiet);
  }
}

/** Waits for as many events as `want` lists, then a quiet spell, and checks them. */
async function expectSettled(events, want, what) {
  await settle(events, want[A].length + want[B].length);
  expect(events, want, what);
}

const tag = (e, name) => e.tags.find((t) => t[0] === name)?.[1];
const seqs = (events, d) => events.filter((e) => tag(e, "a") === address(d)).map((e) => Number(tag(e, "seq")));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
function expect(events, want, what) {
  const got = { [A]: seqs(events, A), [B]: seqs(events, B) };
  if (got[A].length + got[B].length !== events.length) fail(`${what}: events of neither stream ${JSON.stringify(events)}`);
  if (!same(got, want)) fail(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

const publisher = await connect(pubSk);
const seqOf = { [A]: 0, [B]: 0 };
async function observe(d) {
  const seq = ++seqOf[d];
  await publisher.publish(finalizeEvent({ kind: 1083, created_at: now(), tags: [["a", address(d)], ["seq", String(seq)]],
    content: `${d} ${seq}` }, pubSk));
}
for (const d of [A, B]) {
  await publisher.publish(finalizeEvent({ kind: 30083, created_at: now(), tags: [["d", d], ["title", d],
    ["price", String(price), "sat"], ["cadence", "1"], ["k", "1083"]], content: "" }, pubSk));
}
for (let i = 0; i < 5; i++) await observe(A);
for (let i = 0; i < 3; i++) await observe(B);
step("publisher: two priced offers, 5 and 3 observations");

// Unauthenticated: the REQ is CLOSED with auth-required:
{
  const anon = await connect(null);
  const reason = await new Promise((resolve) => {
    anon.subscribe([{ kinds: [1083], "#a": [address(A)] }], { onevent() { fail("observation sent unauthenticated"); },
      onclose(r) { resolve(r); } });
  });
  if (!String(reason).startsWith("auth-required:")) fail("unauthenticated REQ closed with: " + reason);
  anon.close();
  step("unauthenticated REQ: " + reason.split(" ")[0]);
}

const relayPubkey = (await fetchRelayInformation(url)).pubkey;
if (!/^[0-9a-f]{64}$/.test(relayPubkey)) fail("NIP-11 has no pubkey");
const conversation = nip44.utils.getConversationKey(subSk, relayPubkey);
/** A kind 21083 payment: the token NIP-44 v2 encrypted to the relay's NIP-11 pubkey. */
function payment(d, token) {
  return finalizeEvent({ kind: 21083, created_at: now(), tags: [["a", address(d)]],
    content: nip44.encrypt(JSON.stringify({ token }), conversation) }, subSk);
}
/** Publishes a payment; the OK's reason when accepted, or throws with the refusal. */
const pay = (relay, event) => relay.publish(event);
async function refused(relay, event, what) {
  try {
    const reason = await pay(relay, event);
    fail(`${what} accepted: ${reason}`);
  } catch (e) {
    return String(e.message || e);
  }
}

/** An authenticated subscriber with one REQ on both streams; events arrive in `got`. */
async function subscriber() {
  const relay = await connect(subSk);
  const got = [];
  const sub = relay.subscribe([{ kinds: [1083], "#a": [address(A), address(B)] }], {
    onevent(e) { got.push(e); },
    onclose(r) { if (!sub.leaving) fail("subscription closed by the relay: " + r); },
  });
  const close = () => { sub.leaving = true; relay.close(); };
  return { relay, got, close };
}

let { relay: sub, got, close } = await subscriber();
await expectSettled(got, { [A]: [], [B]: [] }, "no credit");
const required = (d) => sub.notices.filter((n) => n.startsWith(`payment-required: ${address(d)} creqA`)).length;
if (required(A) !== 1 || required(B) !== 1) fail("payment-required NOTICEs: " + JSON.stringify(sub.notices));
step("authenticated without credit: a payment-required NOTICE per stream, no observation");

const three = payment(A, tokens.three);
await pay(sub, three);
await expectSettled(got, { [A]: [1, 2, 3], [B]: [] }, "paid for 3");
step("paid for 3: exactly seq 1-3 of the paid stream, in order");

got.length = 0;
for (let i = 0; i < 10; i++) await observe(A);
await expectSettled(got, { [A]: [], [B]: [] }, "10 live observations past the credit");
await pay(sub, payment(A, tokens.two));
await expectSettled(got, { [A]: [4, 5], [B]: [] }, "a gap of 10, paid for 2");
step("a gap: 10 more published, withheld; paid for 2: exactly seq 4-5");

close();
({ relay: sub, got, close } = await subscriber());
await settle(got, 5);
const resent = seqs(got, A).sort((x, y) => x - y);
if (!same(resent, range(1, 5)) || seqs(got, B).length) fail("after reconnecting: " + JSON.stringify(seqs(got, A)));
step("reconnected: seq 1-5 again, nothing more");

got.length = 0;
const again = await pay(sub, three);
if (!String(again).startsWith("duplicate:")) fail("re-sent token answered: " + again);
await expectSettled(got, { [A]: [5], [B]: [] }, "re-sent token");
step("re-sent token: OK duplicate:, the newest paid observation again, no credit");

got.length = 0;
const reasons = [];
reasons.push(await refused(sub, payment(A, tokens.spent), "a spent token"));
reasons.push(await refused(sub, payment(A, tokens.foreign), "a token of a mint not allow-listed"));
reasons.push(await refused(sub, payment(A, "cashuBgarbage"), "a garbage token"));
await expectSettled(got, { [A]: [], [B]: [] }, "refused tokens");
step("spent, foreign and garbage tokens refused: " + reasons.map((r) => r.split(":")[0]).join(", "));

await pay(sub, payment(A, tokens.one));
await expectSettled(got, { [A]: [6], [B]: [] }, "paid for 1 after the reconnect, resend and refusals");
step("paid for 1: exactly seq 6 (the reconnect and resend billed nothing, refusals credited nothing)");

got.length = 0;
await pay(sub, payment(A, tokens.twelve));
await expectSettled(got, { [A]: range(7, 15), [B]: [] }, "paid for 12 with 9 withheld");
await observe(B);
await observe(A);
await expectSettled(got, { [A]: range(7, 16), [B]: [] }, "live observations with credit left on one stream");
step("credit left on one stream opens only that one: seq 7-16 of it, none of the other");

got.length = 0;
await pay(sub, payment(B, tokens.other));
await expectSettled(got, { [A]: [], [B]: [1] }, "paid for 1 on the other stream");
step("paid for 1 on the other stream: exactly its seq 1");

close();
publisher.close();
clearTimeout(hard);
console.log("paid-streams nostr-tools interop passed");
console.log(JSON.stringify({ publisher: pubPk, streams: { [A]: address(A), [B]: address(B) }, observations: seqOf }));
