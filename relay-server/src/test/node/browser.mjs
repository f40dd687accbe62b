// Shared by the browser drivers (films-page.mjs, backstage-page.mjs): headless Debian Chromium through
// playwright-core (no browser is downloaded), optionally with a NIP-07 window.nostr backed by a test key that
// stays in this process (signing with nostr-tools), as an extension would inject it.
import { chromium } from "playwright-core";
import { finalizeEvent, getPublicKey } from "nostr-tools/pure";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

/** A fresh profile; {@code nip07} (secret key hex) or null. Returns {context, tab, close}. */
export async function launch(nip07) {
  const userDataDir = mkdtempSync(join(tmpdir(), "archy-chromium-"));
  const close = async (context) => {
    await context?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
    });
    if (nip07) {
      const secret = Uint8Array.from(nip07.match(/../g), (h) => parseInt(h, 16));
      await context.exposeFunction("archyTestSign", (event) => finalizeEvent(event, secret));
      await context.addInitScript((pubkey) => {
        window.nostr = { getPublicKey: async () => pubkey, signEvent: async (e) => window.archyTestSign(e) };
      }, getPublicKey(secret));
    }
  } catch (e) {
    await close(context);
    throw e;
  }
  const tab = context.pages()[0] ?? await context.newPage();
  return { context, tab, close: () => close(context) };
}

/** Collects the page's console messages and errors and the requests' statuses into {@code result}. */
export function record(tab, result) {
  tab.on("console", (m) => { if (result.console.length < 50) result.console.push(m.type() + ": " + m.text()); });
  tab.on("pageerror", (e) => result.console.push("pageerror: " + e.message));
  tab.on("requestfinished", async (r) => {
    const response = await r.response().catch(() => null);
    if (result.requests.length < 200) result.requests.push((response ? response.status() : 0) + " " + r.url());
  });
}
