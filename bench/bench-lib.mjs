// Helpers shared by the side-by-side bench drivers (vs-strfry.mjs, lb-bench.mjs): argument parsing, CPU and
// RSS of a process from /proc, port checks, stopping children, running the shared generator, medians.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** `--key value` pairs (a flag without a value is "true"). */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) args[a.slice(2)] = argv[i + 1]?.startsWith("--") === false ? argv[++i] : "true";
  }
  return args;
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"]).stdout.toString().trim() || 100);

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat. */
export const cpuSeconds = (pid) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime
};
export const rssMiB = (pid) => {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS"));
  return Number(line.split(/\s+/)[1]) / 1024;
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const portOpen = (port) => new Promise((resolve) => {
  const s = net.connect(port, "127.0.0.1", () => { s.destroy(); resolve(true); });
  s.on("error", () => resolve(false));
});
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Waits until something accepts on {@code port}; fails early when {@code child} exits. */
export async function awaitPort(port, child, what, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() - t0 > timeoutMs) throw new Error(`${what} did not start`);
    await sleep(50);
  }
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(15_000).then(() => child.kill("SIGKILL"))]);
}

/** The processes a driver started; a failed or interrupted run must not leave any behind. */
export function trackChildren() {
  const children = new Set();
  process.on("exit", () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL"); });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));
  return children;
}

/** Runs a generator script from {@code genDir}, appends its output to {@code log}, returns its stdout. */
export function runGenerator(genDir, log, script, argv) {
  const r = spawnSync("node", [path.join(genDir, script), ...argv], { cwd: genDir, encoding: "utf8", timeout: 600_000 });
  log.write(`$ node ${script} ${argv.join(" ")}\n${r.stdout}${r.stderr}\n`);
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The "RESULT query all" (relay-bench.mjs) or "RESULT shape=" (req-shapes.mjs) line. */
export const parseReq = (out) => {
  const m = out.match(/RESULT (?:query all|shape=\S+)\s+n=(\d+) in [\d.]+s \((\d+) REQ\/s\)\s+p50 ([\d.]+) ms\s+p99 ([\d.]+) ms/);
  if (!m) throw new Error(`no RESULT line in: ${out}`);
  return { n: Number(m[1]), rate: Number(m[2]), p50: Number(m[3]), p99: Number(m[4]) };
};

/** The two RESULT lines of relay-bench.mjs ingest. */
export const parseIngest = (out) => {
  const m = out.match(/=> \d+ acks\/s, (\d+) stored events\/s/);
  const l = out.match(/ack latency ms: p50 ([\d.]+) p99 ([\d.]+)/);
  if (!m || !l) throw new Error(`no RESULT ingest lines in: ${out}`);
  return { rate: Number(m[1]), p50: Number(l[1]), p99: Number(l[2]) };
};

export const fixed = (x, d = 2) => x.toFixed(d);

/** Starts `<root>/archy run` on SQLite in {@code dir}: no plugin, the event rate limit raised for a load generator. */
export function spawnArchy(root, port, dir, work, out) {
  const conf = path.join(work, `archy-${port}.toml`);
  fs.writeFileSync(conf, "[relay]\nevents_per_second = 1000000\nevent_burst = 1000000\n[plugins]\nenabled = []\n");
  return spawn(path.resolve(root, "archy"), ["run", "--port", String(port), "--data-dir", dir, "--storage", "sqlite",
    "--config", conf], { stdio: ["ignore", out, out] });
}
