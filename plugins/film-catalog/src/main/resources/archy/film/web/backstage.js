// Backstage: a trusted publisher signs in with NIP-07, uploads a video in chunks (resumable: choosing the same file
// again continues from what the node holds), watches the node transcode it, edits title/genres/price and publishes.
// Every request carries a NIP-98 header signed by window.nostr; the node returns the unsigned kind 30082 and the
// signer signs it here, so the publisher's key never reaches the node (docs/protocols.md "Backstage").
"use strict";

const API = "/api/backstage";
const $ = (id) => document.getElementById(id);
const status = $("status");
const errorLine = $("error");
const LAST = "archy-backstage-upload";  // the upload to pick up after a reload
// Chunk size: the node's advice, or ?chunk_bytes= (small chunks make a slow, resumable upload to try out).
const chunkOverride = Number(new URLSearchParams(location.search).get("chunk_bytes")) || 0;
let upload = null;  // the node's status of the current upload
let polling = null;

/** A NIP-98 request to the backstage API; JSON in (object) and out; throws the node's X-Reason. */
async function call(method, path, json, bytes) {
  const url = location.origin + API + path;
  const body = json !== undefined ? new TextEncoder().encode(JSON.stringify(json)) : bytes;
  const headers = {Authorization: await nip98(url, method, body)};
  if (json !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(url, {method, headers, body});
  const offset = r.headers.get("Upload-Offset");
  if (!r.ok) {
    const e = new Error(r.headers.get("X-Reason") || `HTTP ${r.status}`);
    e.status = r.status;
    e.offset = offset === null ? null : Number(offset);
    throw e;
  }
  return r.json();
}

function fail(e) {
  errorLine.textContent = e.message || String(e);
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1) + " MB";
}

async function signIn() {
  errorLine.textContent = "";
  if (!window.nostr) {
    status.textContent = "No NIP-07 signer found: install a Nostr browser extension and reload.";
    return;
  }
  try {
    const me = await call("GET", "/me");
    $("who").textContent = "signed in as " + me.pubkey.slice(0, 12) + "…";
    $("signin").hidden = true;
    $("upload-step").hidden = false;
    status.textContent = "Choose a video file.";
    const last = JSON.parse(localStorage.getItem(LAST) || "null");
    if (last) await pickUp(last.id);
  } catch (e) {
    status.textContent = "Not signed in.";
    fail(e);
  }
}

/** After a reload: show where the last upload is; an unfinished one continues when its file is chosen again. */
async function pickUp(id) {
  try {
    upload = await call("GET", "/uploads/" + id);
  } catch (e) {
    localStorage.removeItem(LAST);
    return;
  }
  showUpload();
  if (upload.offset < upload.size) {
    status.textContent = `Choose ${upload.name} again to continue its upload (${mb(upload.offset)} of `
      + `${mb(upload.size)} are on the node).`;
  } else {
    await transcode();
  }
}

function showUpload() {
  const pct = upload.size ? Math.floor(upload.offset * 100 / upload.size) : 0;
  $("upload-bar").value = pct;
  $("upload-text").textContent = `${pct}% · ${mb(upload.offset)} of ${mb(upload.size)} · ${upload.name}`;
}

async function chosen() {
  const file = $("file").files[0];
  if (!file) return;
  errorLine.textContent = "";
  $("publish-step").hidden = true;
  $("published").hidden = true;
  try {
    upload = await call("POST", "/uploads", {name: file.name, size: file.size, last_modified: file.lastModified});
    localStorage.setItem(LAST, JSON.stringify({id: upload.id, name: file.name}));
    status.textContent = upload.offset > 0 && upload.offset < upload.size
      ? `Resuming the upload at ${mb(upload.offset)}.` : "Uploading…";
    $("upload-step").dataset.resumedAt = String(upload.offset);
    showUpload();
    const chunk = chunkOverride || upload.chunk_bytes;
    while (upload.offset < upload.size) {
      const bytes = await file.slice(upload.offset, Math.min(upload.size, upload.offset + chunk)).arrayBuffer();
      try {
        upload = await call("PUT", `/uploads/${upload.id}?offset=${upload.offset}`, undefined, bytes);
      } catch (e) {
        if (e.status !== 409 || e.offset === null) throw e;
        upload.offset = e.offset;  // the node holds another amount (another tab?): go on from there
      }
      showUpload();
    }
    await transcode();
  } catch (e) {
    status.textContent = "The upload stopped; choose the same file to continue.";
    fail(e);
  }
}

async function transcode() {
  $("transcode-step").hidden = false;
  status.textContent = "Transcoding on the node…";
  upload = await call("POST", `/uploads/${upload.id}/transcode`);
  clearInterval(polling);
  polling = setInterval(poll, 500);
  showJob();
}

async function poll() {
  try {
    upload = await call("GET", "/uploads/" + upload.id);
    showJob();
  } catch (e) {
    fail(e);
  }
}

const PHASES = {queued: "waiting for the transcoder", hashing: "hashing the source", transcoding: "ffmpeg HLS ladder",
  storing: "storing blobs on the node", ready: "ready", published: "published", failed: "failed"};

function showJob() {
  const phase = upload.state;
  const pct = phase === "ready" || phase === "published" ? 100 : upload.percent || 0;
  $("transcode-bar").value = phase === "storing" ? 100 : pct;
  $("transcode-text").textContent = `${PHASES[phase] || phase}` + (phase === "transcoding" || phase === "storing"
    ? ` ${upload.percent || 0}%` : "");
  if (phase === "failed") {
    clearInterval(polling);
    status.textContent = "The transcode failed.";
    errorLine.textContent = upload.error || "";
  } else if (phase === "ready" || phase === "published") {
    clearInterval(polling);
    status.textContent = `${upload.d}: ${upload.blobs} blobs, ${mb(upload.size_bytes)}, `
      + `${duration(upload.duration_s)}. Edit and publish.`;
    if ($("publish-step").hidden) {
      $("publish-step").hidden = false;
      if (!$("title").value) $("title").value = upload.name.replace(/\.[^.]+$/, "");
      if (upload.poster) {
        $("poster").src = upload.poster;
        $("poster").hidden = false;
      }
    }
    if (upload.watch) showPublished(upload.address, upload.watch);
  }
}

function showPublished(address, watch) {
  $("published").hidden = false;
  $("address").textContent = address;
  $("film-link").href = watch;
}

async function publish(ev) {
  ev.preventDefault();
  errorLine.textContent = "";
  const form = {
    title: $("title").value.trim(),
    summary: $("summary").value.trim(),
    genres: $("genres").value.split(",").map((g) => g.trim()).filter((g) => g),
    price: $("price").value ? Number($("price").value) : null,
  };
  try {
    const template = await call("POST", `/uploads/${upload.id}/template`, form);
    const signed = await window.nostr.signEvent({kind: template.kind, created_at: template.created_at,
      tags: template.tags, content: template.content});
    const done = await call("POST", `/uploads/${upload.id}/publish`, signed);
    status.textContent = `Published “${form.title}”.`;
    showPublished(done.address, done.watch);
  } catch (e) {
    fail(e);
  }
}

/** The film stays; its source file and the transcode's work files leave the node's disk. */
async function removeSource() {
  errorLine.textContent = "";
  try {
    await call("DELETE", "/uploads/" + upload.id);
    localStorage.removeItem(LAST);
    $("remove").hidden = true;
    status.textContent = `The source of ${upload.name} was removed from the node; the film stays.`;
  } catch (e) {
    fail(e);
  }
}

$("signin").addEventListener("click", signIn);
$("remove").addEventListener("click", removeSource);
$("file").addEventListener("change", chosen);
$("film-form").addEventListener("submit", publish);
