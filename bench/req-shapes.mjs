// REQ-to-EOSE latency for filter shapes the shared generator (../shared/bench/relay-bench.mjs) does not
// issue, over events it generated (events.jsonl): one REQ in flight per connection, bounded by a count and
// a timeout, loopback only. Needs the `ws` package (the shared generator's node_modules has it).
//   node req-shapes.mjs --url ws://127.0.0.1:7777 --in events.jsonl --shape ids|window|author-tag-empty
//                       [--queries 300] [--conns 1] [--limit 500] [--ids 20] [--window-seconds 600] [--timeout 120]
// ids:              {ids: [N ids of stored events]}                       (N = --ids, the limit is N)
// window:           {kinds: [1], since: t, until: t + W, limit}           (t drawn over the events' time span)
// author-tag-empty: {authors: [a], "#t": [x], limit} where no stored event has both: an index on authors or
//                   on tags alone finds many candidates, the answer is empty.
// Prints one line: RESULT shape=<shape> n=… REQ/s … p50 … p99 … events/REQ …
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith("--")) args[a.slice(2)] = process.argv[i + 1]?.startsWith("--") === false ? process.argv[++i] : "true";
}
const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));
const url = args.url ?? "ws://127.0.0.1:7777";
if (!/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url)) { console.error("loopback only"); process.exit(2); }
const shape = args.shape ?? "ids";
const nQueries = num("queries", 300), conns = num("conns", 1), limit = num("limit", 500);
const nIds = num("ids", 20), windowSeconds = num("window-seconds", 600), timeoutS = num("timeout", 120);
const hard = setTimeout(() => { console.error("hard time limit reached"); process.exit(3); }, (timeoutS + 30) * 1000);
hard.unref();

const events = fs.readFileSync(args.in ?? "events.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
// A fixed pseudo-random sequence, so both relays answer exactly the same REQs.
let seed = 12345;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const times = events.map((e) => e.created_at);
const tMin = times.reduce((a, b) => Math.min(a, b)), tMax = times.reduce((a, b) => Math.max(a, b));
const authors = [...new Set(events.map((e) => e.pubkey))];
const tags = [...new Set(events.flatMap((e) => e.tags.filter((t) => t[0] === "t").map((t) => t[1])))];
const pairs = new Set(events.flatMap((e) => e.tags.filter((t) => t[0] === "t").map((t) => `${e.pubkey} ${t[1]}`)));
const emptyPairs = authors.flatMap((a) => tags.filter((t) => !pairs.has(`${a} ${t}`)).map((t) => [a, t]));
if (shape === "author-tag-empty" && emptyPairs.length === 0) { console.error("every author has every tag"); process.exit(1); }

const makeFilter = () => {
  if (shape === "ids") return { ids: Array.from({ length: nIds }, () => events[rand(events.length)].id) };
  if (shape === "window") {
    const since = tMin + rand(Math.max(1, tMax - tMin - windowSeconds));
    return { kinds: [1], since, until: since + windowSeconds, limit };
  }
  if (shape === "author-tag-empty") {
    const [a, t] = emptyPairs[rand(emptyPairs.length)];
    return { authors: [a], "#t": [t], limit };
  }
  console.error(`unknown shape ${shape}`);
  process.exit(1);
};
const filters = Array.from({ length: nQueries }, makeFilter);

const open = () => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on("open", () => resolve(ws));
  ws.on("error", reject);
});
const sockets = await Promise.all(Array.from({ length: conns }, open));
const lat = [];
const counts = [];
let issued = 0, closed = 0, timeouts = 0;
const t0 = performance.now();
await Promise.all(sockets.map((ws, ci) => new Promise((resolve) => {
  let cur = null;
  const fire = () => {
    if (issued >= nQueries || performance.now() - t0 > timeoutS * 1000) return resolve();
    const qi = issued++;
    cur = { subId: `s${ci}_${qi}`, n: 0, t: performance.now() };
    cur.timer = setTimeout(() => { timeouts++; ws.send(JSON.stringify(["CLOSE", cur.subId])); cur = null; fire(); }, 10_000);
    ws.send(JSON.stringify(["REQ", cur.subId, filters[qi]]));
  };
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString());
    if (!cur || m[1] !== cur.subId) return;
    if (m[0] === "EVENT") cur.n++;
    else if (m[0] === "EOSE" || m[0] === "CLOSED") {
      clearTimeout(cur.timer);
      if (m[0] === "CLOSED") closed++;
      else { lat.push(performance.now() - cur.t); counts.push(cur.n); ws.send(JSON.stringify(["CLOSE", cur.subId])); }
      cur = null;
      fire();
    }
  });
  ws.on("close", () => resolve());
  fire();
})));
const wall = (performance.now() - t0) / 1000;
for (const ws of sockets) ws.terminate();
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : NaN);
const avg = counts.reduce((s, x) => s + x, 0) / Math.max(1, counts.length);
console.log(`RESULT shape=${shape} n=${lat.length} in ${wall.toFixed(2)}s (${(lat.length / wall).toFixed(0)} REQ/s)`
  + `  p50 ${pct(50).toFixed(2)} ms  p99 ${pct(99).toFixed(2)} ms  events/REQ ${avg.toFixed(1)}; timeouts ${timeouts}, CLOSED ${closed}`);
process.exit(0);
