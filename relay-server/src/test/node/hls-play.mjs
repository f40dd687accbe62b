// Plays an HLS master playlist with hls.js in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is ever downloaded) and reports what happened as one JSON line prefixed with
// "HLS-PLAY-RESULT ". The player page and hls.js are served from a throwaway HTTP server on 127.0.0.1, so
// the playlist's node is another origin and every request goes through real CORS, as on a web page.
// Usage: node hls-play.mjs <master URL> [--min-seconds N] [--timeout-seconds N] [--level I]
//        [--header "Name: value"]...   (--level pins rendition I of the master, switching ABR off)
// Exit 0 whenever playback was tried (the JSON says whether it passed); 2 for bad arguments, 3 when the
// browser could not be driven.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function parseArgs(argv) {
  const opts = { url: null, minSeconds: 3, timeoutSeconds: 60, level: -1, headers: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--min-seconds") opts.minSeconds = Number(argv[++i]);
    else if (a === "--timeout-seconds") opts.timeoutSeconds = Number(argv[++i]);
    else if (a === "--level") opts.level = Number(argv[++i]);
    else if (a === "--header") {
      const h = argv[++i] ?? "";
      const colon = h.indexOf(":");
      if (colon < 1) usage("header must be 'Name: value': " + h);
      opts.headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    } else if (opts.url === null && /^https?:\/\//.test(a)) opts.url = a;
    else usage("unexpected argument " + a);
  }
  if (!opts.url) usage("master playlist URL required");
  if (!(opts.minSeconds > 0) || !(opts.timeoutSeconds > 0)) usage("--min-seconds and --timeout-seconds must be > 0");
  if (!Number.isInteger(opts.level) || opts.level < -1) usage("--level must be a rendition index");
  return opts;
}

function usage(msg) {
  console.error(msg);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
// The Java side kills the process later than this; this bound leaves time to close the browser and report.
const hard = setTimeout(() => { console.error("hls-play: hard timeout"); process.exit(3); },
  (opts.timeoutSeconds + 60) * 1000);

const require = createRequire(import.meta.url);
const hlsJs = readFileSync(require.resolve("hls.js/dist/hls.min.js"));
const page = `<!doctype html><meta charset="utf-8"><title>hls-play</title>
<video id="v" muted playsinline></video>
<script src="/hls.js"></script>
<script>
window.report = { fatal: null, errors: [], levels: 0 };
window.startPlayback = (src, headers, level) => {
  const video = document.getElementById("v");
  video.muted = true;
  if (!Hls.isSupported()) { window.report.fatal = { type: "harness", details: "hls.js: MSE not supported" }; return; }
  const hls = new Hls({
    startLevel: level,
    xhrSetup: (xhr) => { for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v); },
  });
  hls.on(Hls.Events.ERROR, (_, d) => {
    const e = { type: d.type, details: d.details, fatal: !!d.fatal,
      url: d.url || (d.frag && d.frag.url) || (d.context && d.context.url) || null,
      status: (d.response && d.response.code) || 0, reason: d.reason || (d.error && String(d.error)) || null };
    if (window.report.errors.length < 50) window.report.errors.push(e);
    if (d.fatal) window.report.fatal = e;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, (_, d) => {
    window.report.levels = d.levels.length;
    if (level >= 0) hls.currentLevel = level;
    video.play().catch((err) => { window.report.errors.push({ type: "play", details: String(err), fatal: false }); });
  });
  hls.loadSource(src);
  hls.attachMedia(video);
};
</script>`;

const server = createServer((req, res) => {
  if (req.url === "/hls.js") {
    res.writeHead(200, { "Content-Type": "text/javascript" });
    res.end(hlsJs);
  } else {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page);
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const playerOrigin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = mkdtempSync(join(tmpdir(), "archy-chromium-"));
const requests = [];
let context;
let result;
const started = Date.now();
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
  });
  const tab = context.pages()[0] ?? await context.newPage();
  const record = async (request, error) => {
    // Only what hls.js asked the network for: not the player page, not MSE's blob: URLs.
    if (request.url().startsWith(playerOrigin) || !/^https?:/.test(request.url())) return;
    const response = await request.response().catch(() => null);
    requests.push({ method: request.method(), url: request.url(), status: response ? response.status() : 0,
      error: error ?? null });
  };
  tab.on("requestfinished", (r) => record(r, null));
  tab.on("requestfailed", (r) => record(r, r.failure()?.errorText ?? "failed"));
  const consoleLines = [];
  tab.on("console", (m) => { if (consoleLines.length < 50) consoleLines.push(m.type() + ": " + m.text()); });
  tab.on("pageerror", (e) => consoleLines.push("pageerror: " + e.message));

  await tab.goto(playerOrigin + "/");
  await tab.evaluate(([src, headers, level]) => window.startPlayback(src, headers, level),
    [opts.url, opts.headers, opts.level]);
  let timedOut = false;
  try {
    await tab.waitForFunction((min) => window.report.fatal !== null
        || document.getElementById("v").currentTime >= min,
      opts.minSeconds, { timeout: opts.timeoutSeconds * 1000, polling: 200 });
  } catch (e) {
    if (e.name !== "TimeoutError") throw e;
    timedOut = true;
  }
  const state = await tab.evaluate(() => {
    const v = document.getElementById("v");
    return { currentTime: v.currentTime, duration: Number.isFinite(v.duration) ? v.duration : 0,
      videoWidth: v.videoWidth, videoHeight: v.videoHeight, report: window.report };
  });
  // Requests still in flight finish or fail on close; give the last events a moment to be recorded.
  await new Promise((r) => setTimeout(r, 300));
  result = {
    played: state.report.fatal === null && state.currentTime >= opts.minSeconds,
    minSeconds: opts.minSeconds, currentTime: state.currentTime, duration: state.duration,
    videoWidth: state.videoWidth, videoHeight: state.videoHeight, levels: state.report.levels,
    timedOut, fatal: state.report.fatal, errors: state.report.errors, requests: [...requests],
    console: consoleLines, elapsedMs: Date.now() - started,
  };
} catch (e) {
  console.error("hls-play: could not drive Chromium: " + (e.stack || e));
  process.exitCode = 3;
} finally {
  await context?.close().catch(() => {});
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(hard);
}
if (result) console.log("HLS-PLAY-RESULT " + JSON.stringify(result));
