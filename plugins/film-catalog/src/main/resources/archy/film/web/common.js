// Shared by the catalog, the film page and backstage: formatting and small DOM helpers (no framework, no build step).
"use strict";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function duration(seconds) {
  const s = Math.round(seconds || 0), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function price(film) {
  return film.monetized ? `${film.monetized.sats_per_mb} sat/MB` : "free";
}

function availability(film) {
  const a = film.availability || {};
  const held = a.total ? `${a.local}/${a.total} blobs here` : "";
  const seeders = a.seeders ? `, ${a.seeders} seeder${a.seeders === 1 ? "" : "s"}` : "";
  return held + seeders;
}

/** The poster's URL: by BLAKE3 through the catalog (fetched from seeders when this node lacks it). */
function posterUrl(film) {
  return film.poster ? "/api/film/" + film.poster.replace(/^blake3:/, "") : null;
}

function address(film) {
  return `30082:${film.pubkey}:${film.d}`;
}

/**
 * A NIP-98 Authorization header for {@code method} {@code url}, signed by the NIP-07 signer (window.nostr); a
 * request with a body (bytes: an ArrayBuffer or typed array) names its sha256 in a payload tag.
 */
async function nip98(url, method = "GET", body = null) {
  const tags = [["u", url], ["method", method]];
  if (body && body.byteLength > 0) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    tags.push(["payload", Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")]);
  }
  const event = await window.nostr.signEvent({kind: 27235, created_at: Math.floor(Date.now() / 1000), tags,
    content: ""});
  return "Nostr " + btoa(JSON.stringify(event));
}
