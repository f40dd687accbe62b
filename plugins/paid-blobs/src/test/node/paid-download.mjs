// blossom-client-sdk (hzrd149's Blossom client) downloads a paid blob: the node answers 402 with a NUT-18
// request, and the SDK's onPayment callback pays it with a token cashu-ts made at the dev mint (minted here,
// the dev mint pays its own quotes). Prints one JSON line for PaidDownloadInteropTest.
// Usage: node paid-download.mjs <node-url> <mint-url> <sha256>
import { Actions } from "blossom-client-sdk";
import { Wallet } from "@cashu/cashu-ts";
import { createHash } from "node:crypto";

const [server, mintUrl, sha256] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(server)) { console.error("loopback http:// URL required"); process.exit(2); }
const hard = setTimeout(() => { console.error("timed out"); process.exit(3); }, 60000);

const wallet = new Wallet(mintUrl, { unit: "sat" });
await wallet.loadMint();
const quote = await wallet.createMintQuoteBolt11(200);
const proofs = await wallet.mintProofsBolt11(200, quote);

let asked = null;
const response = await Actions.downloadBlob(server, sha256, {
  onPayment: async (_server, _sha256, request) => {
    asked = { amount: request.amount, unit: request.unit, mints: request.mints, id: request.id };
    const { send } = await wallet.send(request.amount, proofs, { includeFees: false });
    // The SDK's legacy encoder wants plain numbers and hex strings.
    const plain = send.map((p) => ({ id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C,
      ...(p.dleq ? { dleq: { e: p.dleq.e, s: p.dleq.s, r: p.dleq.r } } : {}) }));
    return { mint: mintUrl, unit: "sat", proofs: plain };
  },
});
const bytes = new Uint8Array(await response.arrayBuffer());
console.log(JSON.stringify({
  status: response.status,
  cacheControl: response.headers.get("cache-control"),
  session: response.headers.get("x-archy-session"),
  sha256: createHash("sha256").update(bytes).digest("hex"),
  size: bytes.length,
  asked,
}));
clearTimeout(hard);
