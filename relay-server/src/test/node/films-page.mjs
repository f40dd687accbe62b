// Drives the node's film web app (/films) in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core; no browser is downloaded) like a viewer: open the catalog, search by title, open the film,
// play it (optionally paying with a pasted Cashu token), switch quality, seek; screenshots of both pages.
// Reports one JSON line prefixed with "FILMS-PAGE-RESULT ".
// Usage: node films-page.mjs <node base URL> --search TEXT --title TITLE --screenshots DIR
//        [--min-seconds N] [--timeout-seconds N] [--token cashuB...] [--bad-token T] [--paging] [--genre G]
//        [--nip07-secret HEX] [--expect-refused]
// (--nip07-secret: the page gets a NIP-07 window.nostr backed by that test key, signing with nostr-tools;
// --expect-refused: the film must refuse to play, and the page's status is reported as refusedText;
// --genre: after the search, filter by that genre chip; --paging: with 3 or more films, ?limit=2 then "More films"; --bad-token is pasted first and must be refused with the node's X-Reason; then --token pays)
// Exit 0 whenever the flow was tried (the JSON says how far it got); 2 for bad arguments, 3 when the browser
// could not be driven.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, record } from "./browser.mjs";

const opts = { base: null, search: null, title: null, screenshots: null, minSeconds: 3, timeoutSeconds: 90,
  token: null, badToken: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--search") opts.search = argv[++i];
  else if (a === "--title") opts.title = argv[++i];
  else if (a === "--screenshots") opts.screenshots = argv[++i];
  else if (a === "--min-seconds") opts.minSeconds = Number(argv[++i]);
  else if (a === "--timeout-seconds") opts.timeoutSeconds = Number(argv[++i]);
  else if (a === "--token") opts.token = argv[++i];
  else if (a === "--paging") opts.paging = true;
  else if (a === "--genre") opts.genre = argv[++i];
  else if (a === "--bad-token") opts.badToken = argv[++i];
  else if (a === "--nip07-secret") opts.nip07 = argv[++i];
  else if (a === "--expect-refused") opts.expectRefused = true;
  else if (opts.base === null && /^https?:\/\//.test(a)) opts.base = a.replace(/\/$/, "");
  else { console.error("unexpected argument " + a); process.exit(2); }
}
if (!opts.base || !opts.search || !opts.title || !opts.screenshots) {
  console.error("base URL, --search, --title and --screenshots are required");
  process.exit(2);
}
mkdirSync(opts.screenshots, { recursive: true });
const hard = setTimeout(() => { console.error("films-page: hard timeout"); process.exit(3); },
  (opts.timeoutSeconds * 3 + 60) * 1000);

const result = { step: "start", catalogCards: 0, searchTitles: [], genres: [], qualityOptions: 0, paid: false,
  payText: null, currentTime: 0, levelText: null, seekedTo: null, afterSeek: 0, status: null, console: [],
  requests: [] };
let context;
let browser;
const wait = { timeout: opts.timeoutSeconds * 1000, polling: 200 };
try {
  browser = await launch(opts.nip07);
  context = browser.context;
  const tab = browser.tab;
  record(tab, result);

  if (opts.paging) {
    result.step = "paging";
    await tab.goto(opts.base + "/films?limit=2");
    await tab.waitForFunction(() => document.querySelectorAll("#grid li").length === 2, null, wait);
    result.firstPage = await tab.locator("#grid li").count();
    await tab.click("#more");
    await tab.waitForFunction(() => document.querySelectorAll("#grid li").length > 2, null, wait);
    result.afterMore = await tab.locator("#grid li").count();
    result.moreAtEnd = await tab.isVisible("#more");
  }

  result.step = "catalog";
  await tab.goto(opts.base + "/films");
  await tab.waitForFunction(() => document.querySelectorAll("#grid li").length > 0
      && [...document.querySelectorAll("#grid img")].every((i) => i.complete), null, wait);
  await tab.waitForFunction(() => document.querySelectorAll("#genres a").length > 0, null, wait);
  result.catalogCards = await tab.locator("#grid li").count();
  result.genres = await tab.locator("#genres a").allTextContents();
  result.moreVisible = await tab.isVisible("#more");
  await tab.screenshot({ path: join(opts.screenshots, "films-catalog.png") });

  result.step = "search";
  await tab.fill("#q", opts.search);
  await Promise.all([tab.waitForURL(/[?&]q=/, wait), tab.click("#search button")]);
  await tab.waitForFunction(() => /film/.test(document.getElementById("status").textContent)
      || /No films/.test(document.getElementById("status").textContent), null, wait);
  result.searchTitles = await tab.locator("#grid h3").allTextContents();
  if (opts.genre) {
    await Promise.all([tab.waitForURL(/[?&]t=/, wait), tab.locator("#genres a", { hasText: opts.genre }).click()]);
    await tab.waitForFunction((g) => document.getElementById("status").textContent.endsWith(" in " + g),
      opts.genre, wait);
    result.genreTitles = await tab.locator("#grid h3").allTextContents();
  }

  result.step = "open";
  await Promise.all([tab.waitForURL(/\/films\/watch/, wait),
    tab.locator("#grid a", { hasText: opts.title }).first().click()]);
  if (opts.badToken) {
    result.step = "bad-token";
    await tab.waitForSelector("#pay:not([hidden])", wait);
    await tab.fill("#token", opts.badToken);
    await tab.click("#pay button");
    await tab.waitForFunction(() => document.getElementById("pay-error").textContent.length > 0, null, wait);
    result.badTokenError = await tab.textContent("#pay-error");
  }
  if (opts.token) {
    result.step = "pay";
    await tab.waitForSelector("#pay:not([hidden])", wait);
    result.payText = await tab.textContent("#pay-text");
    await tab.screenshot({ path: join(opts.screenshots, "films-pay.png") });
    await tab.fill("#token", opts.token);
    await tab.click("#pay button");
    result.paid = true;
  }
  if (opts.expectRefused) {
    result.step = "refused";
    await tab.waitForFunction(() => /private/i.test(document.getElementById("status").textContent), null, wait);
    result.refusedText = await tab.textContent("#status");
    result.currentTime = await tab.evaluate(() => document.getElementById("video").currentTime);
    await tab.screenshot({ path: join(opts.screenshots, "films-private-refused.png") });
    result.step = "done";
    throw null;
  }
  result.step = "play";
  await tab.waitForFunction((min) => document.getElementById("video").currentTime >= min, opts.minSeconds, wait);
  result.currentTime = await tab.evaluate(() => document.getElementById("video").currentTime);

  result.step = "quality";
  result.qualityOptions = await tab.locator("#quality option").count();
  await tab.selectOption("#quality", "0");
  await tab.waitForFunction(() => window.player.currentLevel === 0
      && /p$/.test(document.getElementById("level").textContent), null, wait);
  result.levelText = await tab.textContent("#level");

  result.step = "seek";
  result.beforeSeek = await tab.evaluate(() => document.getElementById("video").currentTime);
  result.seekedTo = await tab.evaluate(() => {
    const v = document.getElementById("video");
    // Far from where it is: near the end, or back near the start when it is already past the middle.
    const to = v.currentTime > v.duration / 2 ? 1 : v.duration - 4;
    v.currentTime = to;
    return to;
  });
  await tab.waitForFunction((to) => {
    const v = document.getElementById("video");
    return !v.seeking && v.currentTime >= to + 1;
  }, result.seekedTo, wait);
  result.afterSeek = await tab.evaluate(() => document.getElementById("video").currentTime);
  await tab.evaluate(() => document.getElementById("video").pause());
  await tab.screenshot({ path: join(opts.screenshots, "films-watch.png") });
  result.step = "done";
} catch (e) {
  if (e === null) { /* the flow ended early on purpose */ } else {
  result.error = String(e.message || e).split("\n")[0];
  try {
    const tab = context?.pages()[0];
    if (tab) {
      result.status = await tab.evaluate(() => document.getElementById("status")?.textContent
          + " | " + (document.getElementById("pay-error")?.textContent || ""));
    }
  } catch (ignored) { /* page gone */ }
  if (!context) { console.error("films-page: could not drive Chromium: " + (e.stack || e)); process.exitCode = 3; }
  }
} finally {
  await browser?.close();
  clearTimeout(hard);
}
console.log("FILMS-PAGE-RESULT " + JSON.stringify(result));
