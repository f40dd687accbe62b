// Opens N idle WebSocket connections to a relay on loopback, holds them, reports how many are open
// and the relay process's resident memory, then closes them. Bounded: stops by itself.
//   node idle-connections.mjs --url ws://127.0.0.1:7777 --conns 10000 --pid <relay pid> [--hold 10]
import WebSocket from "ws";
import { readFileSync } from "node:fs";

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith("--") ? a.concat([[v.slice(2), all[i + 1]]]) : a), []));
const url = args.url ?? "ws://127.0.0.1:7777";
if (!/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url)) { console.error("loopback only"); process.exit(2); }
const conns = Number(args.conns ?? 10000), hold = Number(args.hold ?? 10), pid = args.pid;
const hard = setTimeout(() => { console.error("hard time limit"); process.exit(3); }, (120 + hold) * 1000);

const rss = () => {
  if (!pid) return "n/a";
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS"));
  return line.replace(/\s+/g, " ").trim();
};

console.log(`before: relay ${rss()}`);
const sockets = [];
let open = 0, failed = 0;
const started = Date.now();
for (let i = 0; i < conns; i += 200) {
  const batch = [];
  for (let j = i; j < Math.min(conns, i + 200); j++) {
    batch.push(new Promise((resolve) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.on("open", () => { open++; resolve(); });
      ws.on("error", () => { failed++; resolve(); });
      ws.on("message", () => {});
      sockets.push(ws);
    }));
  }
  await Promise.all(batch);
}
console.log(`opened ${open} of ${conns} (${failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, hold * 1000));
const stillOpen = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
console.log(`after ${hold} s idle: ${stillOpen} open; relay ${rss()}`);
sockets.forEach((s) => s.terminate());
clearTimeout(hard);
