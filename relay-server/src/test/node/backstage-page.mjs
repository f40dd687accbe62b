// Drives the node's publishing page (/backstage) in headless Chromium like a trusted publisher with a NIP-07
// signer: sign in, choose a video, upload it in small chunks with the connection dropped after a few (the page
// stops), reload, choose the same file again (the upload resumes at the node's offset), watch the transcode, fill
// title/genres/price, sign and publish, remove the source from the node, then find the film in /films.
// Screenshot: backstage.png.
// Reports one JSON line prefixed with "BACKSTAGE-PAGE-RESULT ".
// Usage: node backstage-page.mjs <node base URL> --video FILE --title TITLE --nip07-secret HEX --screenshots DIR
//        [--genres "a, b"] [--price N] [--chunk-bytes N] [--drop-after N] [--timeout-seconds N]
// Exit 0 whenever the flow was tried (the JSON says how far it got); 2 for bad arguments, 3 when the browser
// could not be driven.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, record } from "./browser.mjs";

const opts = { base: null, video: null, title: null, nip07: null, screenshots: null, genres: "", price: null,
  chunkBytes: 65536, dropAfter: 3, timeoutSeconds: 120 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--video") opts.video = argv[++i];
  else if (a === "--title") opts.title = argv[++i];
  else if (a === "--nip07-secret") opts.nip07 = argv[++i];
  else if (a === "--screenshots") opts.screenshots = argv[++i];
  else if (a === "--genres") opts.genres = argv[++i];
  else if (a === "--price") opts.price = argv[++i];
  else if (a === "--chunk-bytes") opts.chunkBytes = Number(argv[++i]);
  else if (a === "--drop-after") opts.dropAfter = Number(argv[++i]);
  else if (a === "--timeout-seconds") opts.timeoutSeconds = Number(argv[++i]);
  else if (opts.base === null && /^https?:\/\//.test(a)) opts.base = a.replace(/\/$/, "");
  else { console.error("unexpected argument " + a); process.exit(2); }
}
if (!opts.base || !opts.video || !opts.title || !opts.nip07 || !opts.screenshots) {
  console.error("base URL, --video, --title, --nip07-secret and --screenshots are required");
  process.exit(2);
}
mkdirSync(opts.screenshots, { recursive: true });
const hard = setTimeout(() => { console.error("backstage-page: hard timeout"); process.exit(3); },
  (opts.timeoutSeconds * 3 + 60) * 1000);

const result = { step: "start", who: null, puts: 0, dropped: false, stoppedText: null, pickUpText: null,
  resumedAt: 0, transcodePercents: [], readyText: null, address: null, watch: null, catalogTitles: [],
  error: null, status: null, console: [], requests: [] };
const wait = { timeout: opts.timeoutSeconds * 1000, polling: 100 };
const text = (tab, id) => tab.textContent("#" + id);
let browser;
try {
  browser = await launch(opts.nip07);
  const tab = browser.tab;
  record(tab, result);
  const page = `${opts.base}/backstage?chunk_bytes=${opts.chunkBytes}`;

  result.step = "sign-in";
  await tab.goto(page);
  await tab.click("#signin");
  await tab.waitForSelector("#upload-step:not([hidden])", wait);
  result.who = await text(tab, "who");

  result.step = "upload";
  // The network drops after a few chunks: the rest of this page's PUTs fail, as on a lost connection.
  await tab.route(/\/api\/backstage\/uploads\/[0-9a-f]+\?offset=/, (route) => {
    result.puts++;
    if (result.puts > opts.dropAfter) {
      result.dropped = true;
      return route.abort("internetdisconnected");
    }
    return route.continue();
  });
  await tab.setInputFiles("#file", opts.video);
  await tab.waitForFunction(() => /stopped/.test(document.getElementById("status").textContent), null, wait);
  result.stoppedText = await text(tab, "status");
  await tab.unroute(/\/api\/backstage\/uploads\/[0-9a-f]+\?offset=/);

  result.step = "reload";
  await tab.reload();
  await tab.click("#signin");
  await tab.waitForFunction(() => /again to continue/.test(document.getElementById("status").textContent), null,
    wait);
  result.pickUpText = await text(tab, "status");
  await tab.setInputFiles("#file", opts.video);
  await tab.waitForSelector("#transcode-step:not([hidden])", wait);
  result.resumedAt = Number(await tab.getAttribute("#upload-step", "data-resumed-at"));

  result.step = "transcode";
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  while (await tab.isHidden("#publish-step")) {
    if (Date.now() > deadline) throw new Error("the transcode did not finish: " + await text(tab, "transcode-text"));
    const shown = await text(tab, "transcode-text");
    const m = /ffmpeg HLS ladder (\d+)%/.exec(shown);
    if (m && result.transcodePercents.at(-1) !== Number(m[1])) result.transcodePercents.push(Number(m[1]));
    if (/failed/.test(shown)) throw new Error("transcode failed: " + await text(tab, "error"));
    await tab.waitForTimeout(100);
  }
  result.readyText = await text(tab, "status");
  await tab.waitForFunction(() => document.getElementById("poster").complete, null, wait);
  result.posterWidth = await tab.evaluate(() => document.getElementById("poster").naturalWidth);

  result.step = "publish";
  await tab.fill("#title", opts.title);
  await tab.fill("#summary", "Published from the backstage page.");
  await tab.fill("#genres", opts.genres);
  if (opts.price) await tab.fill("#price", opts.price);
  await tab.click("#film-form button[type=submit]");
  await tab.waitForSelector("#published:not([hidden])", wait);
  result.address = await text(tab, "address");
  result.watch = await tab.getAttribute("#film-link", "href");
  await tab.screenshot({ path: join(opts.screenshots, "backstage.png"), fullPage: true });

  result.step = "remove";
  await tab.click("#remove");
  await tab.waitForFunction(() => /removed/.test(document.getElementById("status").textContent), null, wait);
  result.removedText = await text(tab, "status");

  result.step = "catalog";
  // The catalog lists the film once the node read its playlists (a moment after publishing).
  const catalogDeadline = Date.now() + opts.timeoutSeconds * 1000;
  while (!result.catalogTitles.includes(opts.title)) {
    if (Date.now() > catalogDeadline) throw new Error("not in /films: " + result.catalogTitles);
    await tab.goto(opts.base + "/films");
    await tab.waitForFunction(() => /film|No films/.test(document.getElementById("status").textContent)
      || document.querySelectorAll("#grid h3").length > 0, null, wait);
    result.catalogTitles = await tab.locator("#grid h3").allTextContents();
    if (!result.catalogTitles.includes(opts.title)) await tab.waitForTimeout(500);
  }
  result.step = "done";
} catch (e) {
  result.error = String(e.message || e).split("\n")[0];
  try {
    const tab = browser?.tab;
    if (tab) {
      result.status = await tab.evaluate(() => document.getElementById("status")?.textContent + " | "
        + (document.getElementById("error")?.textContent || ""));
    }
  } catch (ignored) { /* page gone */ }
  if (!browser) { console.error("backstage-page: could not drive Chromium: " + (e.stack || e)); process.exitCode = 3; }
} finally {
  await browser?.close();
  clearTimeout(hard);
}
console.log("BACKSTAGE-PAGE-RESULT " + JSON.stringify(result));
