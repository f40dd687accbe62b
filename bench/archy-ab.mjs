// Two builds of archy side by side (a change against its base), same events, interleaved REQ trials: each
// checkout's relay gets the same 8 x 64 ingest on an empty database, then the shared generator's author / kind /
// #t mix runs at limit 500 and 50 on 1 and 4 connections, A first in even trials and B first in odd ones.
// Prints REQ/s, p50, p99 and server CPU per REQ (from /proc/<pid>/stat) as medians and B/A ratios.
//   node archy-ab.mjs --a <checkout> --b <checkout> --gen <dir with relay-bench.mjs and node_modules>
//                     [--events 20000] [--trials 5] [--queries 300] [--work <dir>]
// Both checkouts must be built (./archy build). Ports 7795 (A) and 7796 (B).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { awaitPort, cpuSeconds, fixed as f, median, parseArgs, parseReq, portOpen, runGenerator, sleep, spawnArchy, stop,
  trackChildren } from "./bench-lib.mjs";

const args = parseArgs(process.argv.slice(2));
for (const k of ["a", "b", "gen"]) if (!args[k]) { console.error(`--${k} is required`); process.exit(2); }
const size = Number(args.events ?? 20000), trials = Number(args.trials ?? 5), queries = String(args.queries ?? 300);
const work = args.work ?? fs.mkdtempSync(path.join(os.tmpdir(), "archy-ab-"));
const log = fs.createWriteStream(path.join(work, "raw.log"), { flags: "a" });
const children = trackChildren();
const relays = { A: { root: args.a, port: 7795 }, B: { root: args.b, port: 7796 } };
const node = (argv) => runGenerator(args.gen, log, "relay-bench.mjs", argv);

const file = path.join(work, `events-${size}.jsonl`);
if (!fs.existsSync(file)) node(["gen", "--out", file, "--events", String(size)]);
for (const [name, r] of Object.entries(relays)) {
  const dir = path.join(work, `${name}-data`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (await portOpen(r.port)) throw new Error(`port ${r.port} is in use`);
  r.child = spawnArchy(r.root, r.port, dir, work, fs.openSync(path.join(work, `${name}.log`), "a"));
  children.add(r.child);
  await awaitPort(r.port, r.child, `${name} (see ${work}/${name}.log)`);
  r.url = `ws://127.0.0.1:${r.port}`;
  node(["ingest", "--url", r.url, "--in", file, "--conns", "8", "--window", "64", "--timeout", "300"]);
}
const cases = [[500, 1], [50, 1], [500, 4], [50, 4]];
const query = (r, limit, conns, n) => node(["query", "--url", r.url, "--in", file, "--queries", n, "--conns", String(conns),
  "--limit", String(limit)]);
// One untimed pass of every case warms both (JIT, page cache) before the trials.
for (const [limit, conns] of cases) for (const r of Object.values(relays)) query(r, limit, conns, "100");
await sleep(500);

console.log(`${size} events, ${trials} interleaved trials, medians; A = ${args.a}, B = ${args.b}; work dir ${work}\n`);
console.log("| author/kind/#t | REQ/s A / B (B/A) | p50 ms A / B (B/A) | p99 ms A / B | server CPU ms per REQ A / B (B/A) |\n| --- | --- | --- | --- | --- |");
for (const [limit, conns] of cases) {
  const res = { A: [], B: [] };
  for (let t = 0; t < trials; t++) {
    for (const name of t % 2 === 0 ? ["A", "B"] : ["B", "A"]) {
      const r = relays[name];
      const cpu0 = cpuSeconds(r.child.pid);
      const out = parseReq(query(r, limit, conns, queries));
      out.cpu = (cpuSeconds(r.child.pid) - cpu0) / out.n;
      res[name].push(out);
    }
  }
  const m = (name, k) => median(res[name].map((x) => x[k]));
  const pair = (k, scale = 1, d = 2) => `${f(m("A", k) * scale, d)} / ${f(m("B", k) * scale, d)}`;
  console.log(`| limit ${limit}, ${conns} conn | ${pair("rate", 1, 0)} (${f(m("B", "rate") / m("A", "rate"))}) `
    + `| ${pair("p50")} (${f(m("B", "p50") / m("A", "p50"))}) | ${pair("p99")} `
    + `| ${pair("cpu", 1e3)} (${f(m("B", "cpu") / m("A", "cpu"))}) |`);
}
for (const r of Object.values(relays)) await stop(r.child);
console.log(`\nraw generator output: ${work}/raw.log`);
process.exit(0);
