// Drives the node's Blossom server with blossom-client-sdk (hzrd149's client library, used by web
// clients): upload with BUD-11 auth, whole and ranged download, cursor-paged list and delete. Auth
// events are signed with nostr-tools. Exits 0 when every step behaved as the BUDs say; prints one line
// per step. Usage: node blossom-client.mjs http://127.0.0.1:PORT
import { Actions, createUploadAuth, createDeleteAuth, createListAuth, getBlobSha256 } from "blossom-client-sdk";
import { generateSecretKey, getPublicKey, finalizeEvent } from "nostr-tools/pure";

const server = process.argv[2];
if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(server)) { console.error("loopback http:// URL required"); process.exit(2); }
const hard = setTimeout(() => { console.error("timed out"); process.exit(3); }, 30000);
const fail = (msg) => { console.error("FAIL " + msg); process.exit(1); };
const step = (msg) => console.log("ok " + msg);

const sk = generateSecretKey();
const pk = getPublicKey(sk);
const signer = async (draft) => finalizeEvent(draft, sk);

// Three blobs: a playlist-like text, and two binary ones of different sizes.
const blobs = [
  new Blob(["#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-ENDLIST\n"], { type: "application/vnd.apple.mpegurl" }),
  new Blob([crypto.getRandomValues(new Uint8Array(50000))], { type: "video/mp2t" }),
  new Blob([crypto.getRandomValues(new Uint8Array(1234))], { type: "image/png" }),
];
const descriptors = [];
for (const blob of blobs) {
  let asked = 0;
  const d = await Actions.uploadBlob(server, blob, {
    onAuth: async (srv, sha256) => { asked++; return createUploadAuth(signer, sha256, { servers: srv }); },
  });
  if (asked !== 1) fail("expected the server to ask for upload auth once, asked " + asked);
  if (d.sha256 !== (await getBlobSha256(blob))) fail("descriptor sha256 mismatch");
  if (d.size !== blob.size || d.type !== blob.type) fail("descriptor size/type mismatch " + JSON.stringify(d));
  if (!d.url.startsWith(server.replace(/\/$/, "") + "/" + d.sha256 + ".")) fail("descriptor url " + d.url);
  descriptors.push(d);
}
step("uploaded 3 blobs with BUD-11 auth (HEAD /upload -> 401 -> PUT)");

const again = await Actions.uploadBlob(server, blobs[2], {
  onAuth: async (srv, sha256) => createUploadAuth(signer, sha256, { servers: srv }),
});
if (again.sha256 !== descriptors[2].sha256) fail("re-upload returned another blob");
step("re-upload of an existing blob");

const whole = await Actions.downloadBlob(server, descriptors[1].sha256);
const bytes = new Uint8Array(await whole.arrayBuffer());
const original = new Uint8Array(await blobs[1].arrayBuffer());
if (bytes.length !== original.length || !bytes.every((b, i) => b === original[i])) fail("downloaded bytes differ");
step("downloadBlob returned the exact bytes");

const ranged = await fetch(descriptors[1].url, { headers: { Range: "bytes=100-199" } });
if (ranged.status !== 206) fail("range status " + ranged.status);
if (ranged.headers.get("content-range") !== `bytes 100-199/${original.length}`) fail("content-range " + ranged.headers.get("content-range"));
const part = new Uint8Array(await ranged.arrayBuffer());
if (part.length !== 100 || !part.every((b, i) => b === original[100 + i])) fail("ranged bytes differ");
step("ranged download (206, Content-Range)");

if (!(await Actions.hasBlob(server, descriptors[0].sha256))) fail("hasBlob false for a held blob");
step("hasBlob (HEAD /<sha256>)");

const page1 = await Actions.listBlobs(server, pk, { limit: 2, onAuth: async () => createListAuth(signer) });
const page2 = await Actions.listBlobs(server, pk, { limit: 2, cursor: page1[page1.length - 1].sha256 });
const listed = [...page1, ...page2].map((d) => d.sha256);
if (page1.length !== 2 || page2.length !== 1) fail(`pages of ${page1.length} and ${page2.length}`);
if (new Set(listed).size !== 3 || !descriptors.every((d) => listed.includes(d.sha256))) fail("list misses blobs");
step("listBlobs with cursor paging");

for (const d of descriptors) {
  await Actions.deleteBlob(server, d.sha256, { onAuth: async (srv, sha256) => createDeleteAuth(signer, sha256) });
}
const left = await Actions.listBlobs(server, pk);
if (left.length !== 0) fail("blobs left after delete: " + left.length);
if (await Actions.hasBlob(server, descriptors[0].sha256)) fail("deleted blob still served");
step("deleteBlob removed every blob");

clearTimeout(hard);
console.log("blossom-client-sdk interop passed");
