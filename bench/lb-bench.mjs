// One archy process against two behind HAProxy, both on one fresh PostgreSQL database, same events, same
// load, interleaved trials (see lb-bench.sh, which builds archy and installs the generator first). Each trial
// gives each setup a freshly created database and fresh processes, then runs: ingest 8 conns x 64 in flight,
// ingest 1 x 1, ingest 8 x 64 of other events into the now warm processes, one untimed pass of every REQ case
// and the timed REQ cases (limit 500 and 50 on 1 and 4 connections). Per run: the generator's rate, p50 and
// p99, and the CPU seconds of the relay processes, of haproxy and of the PostgreSQL backends serving the
// bench database (from /proc/<pid>/stat). Prints markdown tables of medians and two/one ratios.
//   node lb-bench.mjs --root <archy checkout> --gen <dir with relay-bench.mjs and node_modules>
//                     [--events 20000] [--events-1x1 2000] [--trials 3] [--queries 300] [--conns 1,4]
//                     [--port 7793] [--haproxy /usr/sbin/haproxy] [--pghost 127.0.0.1] [--pgport 5432]
//                     [--pguser postgres] [--pgdb test] [--work <dir>]
// Ports: --port for the single process, the next two for the pair, the one after for haproxy; the run
// refuses to start when any of them is in use. --pgdb is only where the bench connects to create and drop
// its own database (archy_lbbench_<pid>); nothing in it is touched.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { awaitPort, cpuSeconds, fixed as f, median, parseArgs, parseIngest, parseReq, portOpen, runGenerator, sleep,
  stop, trackChildren } from "./bench-lib.mjs";

const args = parseArgs(process.argv.slice(2));
for (const k of ["root", "gen"]) if (!args[k]) { console.error(`--${k} is required`); process.exit(2); }
const events = Number(args.events ?? 20000), events1x1 = Number(args["events-1x1"] ?? 2000);
const trials = Number(args.trials ?? 3), queries = Number(args.queries ?? 300);
const connsList = (args.conns ?? "1,4").split(",").map(Number);
const base = Number(args.port ?? 7793);
const haproxyBin = args.haproxy ?? "/usr/sbin/haproxy";
const pg = { host: args.pghost ?? "127.0.0.1", port: args.pgport ?? "5432", user: args.pguser ?? "postgres", db: args.pgdb ?? "test" };
const benchDb = `archy_lbbench_${process.pid}`;
const work = args.work ?? fs.mkdtempSync(path.join(os.tmpdir(), "lb-bench-"));
const log = fs.createWriteStream(path.join(work, "raw.log"), { flags: "a" });
const children = trackChildren();
const node = (script, argv) => runGenerator(args.gen, log, script, argv);

const setups = {
  one: { label: "one process", relays: [base], balancer: null },
  two: { label: "two behind HAProxy", relays: [base + 1, base + 2], balancer: base + 3 },
};
const urlOf = (s) => `ws://127.0.0.1:${s.balancer ?? s.relays[0]}`;

// ------------------------------------------------------------------ PostgreSQL
function psql(sql) {
  const r = spawnSync("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", pg.host, "-p", pg.port, "-U", pg.user,
    "-d", pg.db, ...sql.flatMap((s) => ["-c", s])], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout;
}
const dropDatabase = () => psql([`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`]);
// Separate commands: DROP/CREATE DATABASE cannot run inside the one transaction a multi-statement -c gets.
const freshDatabase = () => psql([`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`, `CREATE DATABASE ${benchDb}`]);
process.on("exit", () => { try { dropDatabase(); } catch { /* the server may be gone; nothing else to clean */ } });
/** CPU seconds so far of every backend connected to the bench database, by pid. */
function backendsCpu() {
  const pids = psql([`SELECT pid FROM pg_stat_activity WHERE datname = '${benchDb}'`]).split("\n").filter(Boolean);
  const out = new Map();
  for (const pid of pids) { try { out.set(pid, cpuSeconds(pid)); } catch { /* ended meanwhile */ } }
  return out;
}

// ------------------------------------------------------------------ processes
async function refuseUsedPorts() {
  for (const s of Object.values(setups)) {
    for (const port of [...s.relays, s.balancer].filter(Boolean)) {
      if (await portOpen(port)) throw new Error(`port ${port} is in use: stop what runs there or pass another --port`);
    }
  }
}

/** Waits for the NIP-11 answer: the port is bound before the node serves. */
async function awaitRelay(port, child, what) {
  await awaitPort(port, child, what);
  const t0 = Date.now();
  while (Date.now() - t0 < 60_000) {
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: "application/nostr+json" } });
      if (r.ok) return;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${what} did not answer NIP-11`);
}

async function startRelay(port, name) {
  const dir = path.join(work, `${name}-data`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const out = fs.openSync(path.join(work, `${name}.log`), "a");
  const child = spawn(path.resolve(args.root, "archy"), ["run", "--port", String(port), "--data-dir", dir,
    "--storage", `postgresql://${pg.user}@${pg.host}:${pg.port}/${benchDb}`, "--config", path.join(work, "archy.toml")],
  { stdio: ["ignore", out, out] });
  children.add(child);
  await awaitRelay(port, child, `${name} (see ${work}/${name}.log)`);
  return child;
}

/** The balancer settings ManyProcessesTest uses (docs/operations.md's recipe), plus a stats socket to see the relays up. */
function haproxyConfig(s) {
  const template = fs.readFileSync(path.join(args.root, "relay-server/src/test/resources/haproxy-relays.cfg"), "utf8");
  return template.replaceAll("{port}", String(s.balancer))
    .replace(/^global\n/m, `global\n  stats socket ${path.join(work, "haproxy.sock")} mode 600 level user\n`)
    + s.relays.map((p, i) => `  server r${i} 127.0.0.1:${p} check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions\n`).join("");
}

/** The backend servers' rows of "show stat": name, status, sessions so far. */
function haproxyServers() {
  return new Promise((resolve, reject) => {
    let text = "";
    const c = net.connect(path.join(work, "haproxy.sock"), () => c.write("show stat\n"));
    c.on("data", (d) => { text += d; });
    c.on("end", () => {
      const [head, ...rows] = text.trim().split("\n");
      const cols = head.replace(/^# /, "").split(",");
      resolve(rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i], v])))
        .filter((r) => r.pxname === "relays" && /^r\d+$/.test(r.svname))
        .map((r) => ({ name: r.svname, status: r.status, sessions: Number(r.stot) })));
    });
    c.on("error", reject);
  });
}

async function startHaproxy(s) {
  const cfg = path.join(work, "haproxy.cfg");
  fs.writeFileSync(cfg, haproxyConfig(s));
  const out = fs.openSync(path.join(work, "haproxy.log"), "a");
  const child = spawn(haproxyBin, ["-db", "-f", cfg], { stdio: ["ignore", out, out] });
  children.add(child);
  await awaitPort(s.balancer, child, `haproxy (see ${work}/haproxy.log)`);
  const t0 = Date.now();
  while (Date.now() - t0 < 15_000) {
    const servers = await haproxyServers().catch(() => []);
    if (servers.length === s.relays.length && servers.every((x) => x.status === "UP")) return child;
    await sleep(200);
  }
  throw new Error("haproxy did not mark every relay up");
}

async function up(name) {
  const s = setups[name];
  freshDatabase();
  // One after the other: the first applies the migrations to the empty database.
  const relays = [];
  for (const [i, port] of s.relays.entries()) relays.push(await startRelay(port, `${name}-${i}`));
  const balancer = s.balancer ? await startHaproxy(s) : null;
  await sleep(500);
  return { relays, balancer };
}
async function down(procs) {
  if (procs.balancer) await stop(procs.balancer);
  for (const r of procs.relays) await stop(r);
}

// ------------------------------------------------------------------ one timed run
function cpuNow(procs) {
  return {
    relays: procs.relays.reduce((a, r) => a + cpuSeconds(r.pid), 0),
    haproxy: procs.balancer ? cpuSeconds(procs.balancer.pid) : 0,
    pg: backendsCpu(),
  };
}
function cpuSince(procs, before) {
  const now = cpuNow(procs);
  // Backends that ended during the run are missed; the node's pool keeps its connections, so few do.
  let pgCpu = 0;
  for (const [pid, c] of now.pg) pgCpu += c - (before.pg.get(pid) ?? 0);
  return { relays: now.relays - before.relays, haproxy: now.haproxy - before.haproxy, pg: pgCpu };
}
async function timed(procs, script, argv, parse) {
  const before = cpuNow(procs);
  const res = parse(node(script, argv));
  await sleep(300); // lets the last commits and acks settle before reading the CPU
  return { ...res, ...cpuSince(procs, before) };
}

const files = {};
for (const [k, n] of [["a", events], ["b", events], ["c", events1x1]]) {
  files[k] = path.join(work, `events-${k}-${n}.jsonl`);
  node("relay-bench.mjs", ["gen", "--out", files[k], "--events", String(n)]);
}
const ingestRuns = [
  [`ingest 8 × 64, ${events} events, fresh processes`, files.a, 8, 64],
  [`ingest 1 × 1, ${events1x1} events`, files.c, 1, 1],
  [`ingest 8 × 64, ${events} other events, same processes`, files.b, 8, 64],
];
const reqRuns = connsList.flatMap((conns) => [500, 50].map((limit) => [`REQ limit ${limit}, ${conns} conn`, limit, conns]));
const reqArgv = (url, limit, conns, n) => ["query", "--url", url, "--in", files.a, "--queries", String(n),
  "--conns", String(conns), "--limit", String(limit)];

/** Every run of one trial on one setup, on a fresh database and fresh processes. */
async function trial(name) {
  const procs = await up(name);
  const url = urlOf(setups[name]);
  const res = {};
  try {
    for (const [label, file, conns, window] of ingestRuns) {
      res[label] = await timed(procs, "relay-bench.mjs", ["ingest", "--url", url, "--in", file, "--conns", String(conns),
        "--window", String(window), "--timeout", "300"], parseIngest);
    }
    for (const [, limit, conns] of reqRuns) node("relay-bench.mjs", reqArgv(url, limit, conns, 100)); // warm-up, untimed
    for (const [label, limit, conns] of reqRuns) {
      res[label] = await timed(procs, "relay-bench.mjs", reqArgv(url, limit, conns, queries), parseReq);
    }
    if (procs.balancer) res.sessions = (await haproxyServers()).map((x) => `${x.name} ${x.sessions}`).join(", ");
  } finally {
    await down(procs);
  }
  return res;
}

fs.writeFileSync(path.join(work, "archy.toml"),
  "[relay]\nevents_per_second = 1000000\nevent_burst = 1000000\n[plugins]\nenabled = []\n");
await refuseUsedPorts();
const load0 = os.loadavg();
const results = { one: [], two: [] };
for (let t = 0; t < trials; t++) {
  for (const name of t % 2 === 0 ? ["one", "two"] : ["two", "one"]) {
    const r = await trial(name);
    results[name].push(r);
    log.write(`trial ${t} ${name}: ${JSON.stringify(r)}\n`);
    process.stderr.write(`trial ${t + 1}/${trials} ${setups[name].label} done\n`);
  }
}
const load1 = os.loadavg();

const m = (name, label, k) => median(results[name].map((r) => r[label][k]));
const cell = (label, k, d = 2, scale = 1) => {
  const a = m("one", label, k) * scale, b = m("two", label, k) * scale;
  return `${f(a, d)} / ${f(b, d)} (${f(b / a)})`;
};
const cpuCell = (label) => {
  const tot = (name) => median(results[name].map((r) => r[label].relays + r[label].haproxy));
  return `${f(tot("one"))} / ${f(tot("two"))} (${f(tot("two") / tot("one"))}), haproxy ${f(m("two", label, "haproxy"))}`;
};
console.log(`\n## One archy process vs two behind HAProxy, one PostgreSQL (${trials} interleaved trials, medians)\n`);
console.log(`${os.cpus().length} cores; load average ${load0.map((x) => f(x)).join(" ")} at the start, ${load1.map((x) => f(x)).join(" ")} at the end; work dir ${work}\n`);
console.log("Cells: one / two (two / one).\n");
console.log("| ingest | stored events/s | ack p50 ms | ack p99 ms | CPU s relays + haproxy | CPU s PostgreSQL backends |\n| --- | --- | --- | --- | --- | --- |");
for (const [label] of ingestRuns) {
  console.log(`| ${label} | ${cell(label, "rate", 0)} | ${cell(label, "p50")} | ${cell(label, "p99")} | ${cpuCell(label)} | ${cell(label, "pg")} |`);
}
console.log(`\n| REQ, ${queries} per run, author/kind/#t mix | REQ/s | p50 ms | p99 ms | CPU s relays + haproxy | CPU s PostgreSQL backends |\n| --- | --- | --- | --- | --- | --- |`);
for (const [label] of reqRuns) {
  console.log(`| ${label} | ${cell(label, "rate", 0)} | ${cell(label, "p50")} | ${cell(label, "p99")} | ${cpuCell(label)} | ${cell(label, "pg")} |`);
}
console.log(`\nhaproxy sessions per relay, by trial: ${results.two.map((r) => r.sessions).join("; ")}`);
console.log(`raw generator output and per-trial figures: ${work}/raw.log`);
process.exit(0);
