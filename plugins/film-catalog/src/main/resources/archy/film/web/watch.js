// The film page: hls.js plays the master playlist by its Blossom address; quality switching; and for a monetized
// film, the Cashu flow of PROTOCOLS.md §4.1: on the first 402 the page asks for a token, sends it once as X-Cashu
// with the session the 402 named, and keeps that session (localStorage, per film) for every later request.
// A private film (enc, docs/protocols.md): its key URL is fetched with a NIP-98 header signed by the viewer's
// NIP-07 signer (window.nostr); a refusal (401/403) stops the player and shows the node's X-Reason.
"use strict";

const video = document.getElementById("video");
const status = document.getElementById("status");
const pay = document.getElementById("pay");
const quality = document.getElementById("quality");
const filmAddress = new URLSearchParams(location.search).get("a") || "";
const sessionKey = "archy-session:" + filmAddress;
let film = null;
let hls = null;
let pendingToken = null;  // sent with the next request only, then forgotten

async function start() {
  const r = await fetch("/api/film-catalog?a=" + encodeURIComponent(filmAddress));
  if (!r.ok) {
    status.textContent = "The catalog answered " + r.status + ": " + (r.headers.get("X-Reason") || "");
    return;
  }
  film = (await r.json()).films[0];
  if (!film) {
    status.textContent = "This node's catalog does not list that film.";
    return;
  }
  document.title = film.title;
  document.getElementById("title").textContent = film.title;
  document.getElementById("summary").textContent = film.summary || "";
  document.getElementById("facts").textContent = [duration(film.duration_s), price(film),
    (film.genres || []).join(", "), availability(film)].filter(Boolean).join(" · ");
  if (posterUrl(film)) video.poster = posterUrl(film);
  play(0);
}

function play(at) {
  if (hls) hls.destroy();
  if (!window.Hls || !Hls.isSupported()) {
    // Safari plays HLS natively (no custom headers, so free films only).
    video.src = film.master_url;
    return;
  }
  if (film.enc && !window.nostr) {
    status.textContent = "This film is private: sign in with a NIP-07 signer (a Nostr browser extension) "
        + "whose key the publisher granted.";
    return;
  }
  hls = new Hls({
    startPosition: at,
    xhrSetup(xhr, url) {
      if (!xhr.readyState) xhr.open("GET", url, true);
      if (film.enc && url.includes("/api/film-key?")) return nip98(url).then(h => xhr.setRequestHeader("Authorization", h));
      const session = localStorage.getItem(sessionKey);
      if (session) xhr.setRequestHeader("X-Archy-Session", session);
      if (pendingToken) {
        xhr.setRequestHeader("X-Cashu", pendingToken);
        pendingToken = null;
      }
    },
  });
  window.player = hls;  // for tests and the curious
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    quality.replaceChildren(el("option", {value: "-1"}, "Auto"));
    hls.levels.forEach((l, i) => quality.append(el("option", {value: String(i)},
        `${l.height}p (${Math.round(l.bitrate / 1000)} kbit/s)`)));
    status.textContent = "";
    video.play().catch(() => { status.textContent = "Press play."; });
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (e, data) => {
    const l = hls.levels[data.level];
    document.getElementById("level").textContent = l ? `playing ${l.height}p` : "";
  });
  hls.on(Hls.Events.ERROR, (e, data) => {
    const xhr = data.networkDetails;
    const code = xhr && xhr.status;
    if (code === 402) {
      const session = xhr.getResponseHeader("X-Archy-Session");
      if (session) localStorage.setItem(sessionKey, session);
      askToPay(null);
      return;
    }
    if (film.enc && (code === 401 || code === 403)) {
      hls.stopLoad();
      status.textContent = "This film is private and your key may not watch it: "
          + (xhr.getResponseHeader("X-Reason") || "HTTP " + code);
      return;
    }
    if (code === 400 && xhr.getResponseHeader("X-Reason")) {
      askToPay(xhr.getResponseHeader("X-Reason"));
      return;
    }
    if (data.fatal) status.textContent = "Playback stopped: " + data.details + (code ? " (HTTP " + code + ")" : "");
  });
  hls.loadSource(film.master_url);
  hls.attachMedia(video);
}

/** Stops loading and shows the price and a token field; {@code reason} is the server's X-Reason for a refused token. */
function askToPay(reason) {
  hls.stopLoad();
  const size = film.size_bytes ? ` (${(film.size_bytes / 1e6).toFixed(1)} MB in all)` : "";
  document.getElementById("pay-text").textContent =
      `This film costs ${price(film)}${size}. Paste a Cashu token to pay and keep watching.`;
  document.getElementById("pay-error").textContent = reason ? "The node refused the token: " + reason : "";
  pay.hidden = false;
}

pay.addEventListener("submit", e => {
  e.preventDefault();
  const token = document.getElementById("token").value.trim();
  if (!token) return;
  pendingToken = token;
  document.getElementById("token").value = "";
  pay.hidden = true;
  play(video.currentTime || 0);
});

quality.addEventListener("change", () => {
  if (hls) hls.currentLevel = Number(quality.value);  // -1: automatic
});

start();
