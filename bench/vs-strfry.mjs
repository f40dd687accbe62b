// archy and strfry side by side on one machine, same events, interleaved trials (see vs-strfry.sh, which
// builds archy and installs the generators first). For each event count: ingest 8 conns x 64 in flight into
// a fresh process of each relay (events/s, server CPU per event from /proc/<pid>/stat), then REQ trials on
// the loaded relays alternating between them: REQ/s, p50, p99 and server CPU per REQ, medians and ratios.
//   node vs-strfry.mjs --root <archy checkout> --gen <dir with relay-bench.mjs, req-shapes.mjs, node_modules>
//                      --strfry <binary> [--events 20000,200000] [--trials 3] [--queries 300] [--work <dir>]
//                      [--cases <regex on the case names>]
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { awaitPort, cpuSeconds, fixed as f, median, parseArgs, parseIngest, parseReq, portOpen, rssMiB, runGenerator, sleep, spawnArchy, stop,
  trackChildren } from "./bench-lib.mjs";

const args = parseArgs(process.argv.slice(2));
for (const k of ["root", "gen", "strfry"]) if (!args[k]) { console.error(`--${k} is required`); process.exit(2); }
const sizes = (args.events ?? "20000").split(",").map(Number);
const trials = Number(args.trials ?? 3), queries = Number(args.queries ?? 300);
const work = args.work ?? fs.mkdtempSync(path.join(os.tmpdir(), "vs-strfry-"));
const strfryBin = path.resolve(args.strfry);
const ports = { archy: 7791, strfry: 7792 };
const log = fs.createWriteStream(path.join(work, "raw.log"), { flags: "a" });
// A failed generator run must not leave relays behind.
const children = trackChildren();

/** Starts a relay on an empty database; resolves to its process once it accepts connections. */
async function start(relay) {
  const dir = path.join(work, `${relay}-data`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (await portOpen(ports[relay])) throw new Error(`port ${ports[relay]} is in use: another relay is running there`);
  let child;
  const out = fs.openSync(path.join(work, `${relay}.log`), "a");
  if (relay === "archy") {
    child = spawnArchy(args.root, ports.archy, dir, work, out);
  } else {
    // Upstream's configuration, with the database, port and file limit of this run.
    const conf = fs.readFileSync(path.join(path.dirname(strfryBin), "strfry.conf"), "utf8")
      .replace(/^db = .*$/m, `db = "${dir}/"`)
      .replace(/^(\s*)port = \d+/m, `$1port = ${ports.strfry}`)
      .replace(/^(\s*)nofiles = \d+/m, "$1nofiles = 0");
    fs.writeFileSync(path.join(work, "strfry.conf"), conf);
    child = spawn(strfryBin, [`--config=${path.join(work, "strfry.conf")}`, "relay"], { stdio: ["ignore", out, out] });
  }
  children.add(child);
  await awaitPort(ports[relay], child, `${relay} (see ${work}/${relay}.log)`);
  return child;
}
const node = (script, argv) => runGenerator(args.gen, log, script, argv);

// REQ cases: [name, script, argv]. relay-bench.mjs mixes author, kind and #t filters round-robin.
const cases = (file) => {
  const mixed = (limit, conns) => [`author/kind/#t, limit ${limit}, ${conns} conn`, "relay-bench.mjs",
    ["query", "--in", file, "--queries", queries, "--conns", conns, "--limit", limit]];
  const shape = (s, limit, conns, label) => [`${label}, ${conns} conn`, "req-shapes.mjs",
    ["--in", file, "--shape", s, "--queries", queries, "--conns", conns, "--limit", limit]];
  return [mixed(500, 1), mixed(50, 1), mixed(500, 4), mixed(50, 4),
    shape("ids", 20, 1, "ids (20 per REQ)"), shape("ids", 20, 4, "ids (20 per REQ)"),
    shape("window", 500, 1, "kinds + since/until 600 s, limit 500"), shape("window", 50, 1, "kinds + since/until 600 s, limit 50"),
    shape("window", 500, 4, "kinds + since/until 600 s, limit 500"),
    shape("author-tag-empty", 500, 1, "author x #t, empty result"), shape("author-tag-empty", 500, 4, "author x #t, empty result")]
    .map(([name, script, argv]) => [name, script, argv.map(String)])
    .filter(([name]) => !args.cases || new RegExp(args.cases).test(name));
};
const order = (t) => (t % 2 === 0 ? ["archy", "strfry"] : ["strfry", "archy"]);
for (const size of sizes) {
  const file = path.join(work, `events-${size}.jsonl`);
  if (!fs.existsSync(file)) node("relay-bench.mjs", ["gen", "--out", file, "--events", String(size)]);
  console.log(`\n## ${size} events (${trials} interleaved trials each, medians; work dir ${work})\n`);

  // Ingest: each trial on a fresh process and an empty database; the last trial's relays stay up for the REQs.
  const ingest = { archy: [], strfry: [] };
  const running = {};
  for (let t = 0; t < trials; t++) {
    for (const relay of order(t)) {
      if (running[relay]) await stop(running[relay]);
      const child = await start(relay);
      await sleep(500);
      const cpu0 = cpuSeconds(child.pid);
      const out = node("relay-bench.mjs", ["ingest", "--url", `ws://127.0.0.1:${ports[relay]}`, "--in", file,
        "--conns", "8", "--window", "64", "--timeout", "300"]);
      await sleep(300); // lets the last commit and its acks settle before reading the CPU
      const cpu = cpuSeconds(child.pid) - cpu0;
      ingest[relay].push({ rate: parseIngest(out).rate, cpuPerEvent: cpu / size, rss: rssMiB(child.pid) });
      running[relay] = child;
    }
  }
  console.log("| ingest 8 x 64, fresh process | archy | strfry | archy / strfry |\n| --- | --- | --- | --- |");
  const ir = (relay, k) => median(ingest[relay].map((x) => x[k]));
  console.log(`| stored events/s | ${f(ir("archy", "rate"), 0)} | ${f(ir("strfry", "rate"), 0)} | ${f(ir("archy", "rate") / ir("strfry", "rate"))} |`);
  console.log(`| server CPU per event | ${f(ir("archy", "cpuPerEvent") * 1e6, 0)} µs | ${f(ir("strfry", "cpuPerEvent") * 1e6, 0)} µs | ${f(ir("archy", "cpuPerEvent") / ir("strfry", "cpuPerEvent"))} |`);
  console.log(`| RSS after ingest | ${f(ir("archy", "rss"), 0)} MiB | ${f(ir("strfry", "rss"), 0)} MiB | ${f(ir("archy", "rss") / ir("strfry", "rss"))} |`);

  // One untimed pass of every case warms both relays (JIT, page cache) before the trials.
  for (const [, script, argv] of cases(file)) {
    for (const relay of ["archy", "strfry"]) node(script, [...argv, "--url", `ws://127.0.0.1:${ports[relay]}`, "--queries", "100"]);
  }
  console.log("\n| REQ case | REQ/s archy / strfry (ratio) | p50 ms archy / strfry (ratio) | p99 ms archy / strfry | server CPU ms per REQ archy / strfry (ratio) |\n| --- | --- | --- | --- | --- |");
  for (const [name, script, argv] of cases(file)) {
    const r = { archy: [], strfry: [] };
    for (let t = 0; t < trials; t++) {
      for (const relay of order(t)) {
        const pid = running[relay].pid;
        const cpu0 = cpuSeconds(pid);
        const res = parseReq(node(script, [...argv, "--url", `ws://127.0.0.1:${ports[relay]}`]));
        res.cpu = (cpuSeconds(pid) - cpu0) / res.n;
        r[relay].push(res);
      }
    }
    const m = (relay, k) => median(r[relay].map((x) => x[k]));
    console.log(`| ${name} | ${f(m("archy", "rate"), 0)} / ${f(m("strfry", "rate"), 0)} (${f(m("archy", "rate") / m("strfry", "rate"))}) `
      + `| ${f(m("archy", "p50"))} / ${f(m("strfry", "p50"))} (${f(m("archy", "p50") / m("strfry", "p50"))}) `
      + `| ${f(m("archy", "p99"))} / ${f(m("strfry", "p99"))} `
      + `| ${f(m("archy", "cpu") * 1e3)} / ${f(m("strfry", "cpu") * 1e3)} (${f(m("archy", "cpu") / m("strfry", "cpu"))}) |`);
  }
  for (const relay of ["archy", "strfry"]) await stop(running[relay]);
}
console.log(`\nraw generator output: ${work}/raw.log`);
process.exit(0);
