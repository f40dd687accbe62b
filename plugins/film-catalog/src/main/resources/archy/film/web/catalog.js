// The catalog: a poster grid from /api/film-catalog, title search, genre filter, and paging by next_cursor.
"use strict";

const params = new URLSearchParams(location.search);
const PAGE = Math.min(100, Math.max(1, Number(params.get("limit")) || 24));  // ?limit= for small screens (and tests)
const grid = document.getElementById("grid");
const more = document.getElementById("more");
const status = document.getElementById("status");
let cursor = null;

document.getElementById("q").value = params.get("q") || "";

function card(film) {
  const link = el("a", {href: "/films/watch?a=" + encodeURIComponent(address(film)), class: "card"});
  const poster = posterUrl(film);
  const frame = el("div", {class: "poster"});
  if (poster) {
    const img = el("img", {src: poster, alt: "", loading: "lazy"});
    img.onerror = () => img.remove();  // a priced or missing poster: the frame stays, with the title
    frame.append(img);
  }
  link.append(frame, el("h3", {}, film.title));
  const facts = el("p", {class: "facts"}, duration(film.duration_s), " · ", price(film));
  const genres = el("p", {class: "genres"}, (film.genres || []).join(", "));
  const avail = el("p", {class: "avail"}, availability(film));
  link.append(facts, genres, avail);
  return el("li", {"data-d": film.d}, link);
}

async function load() {
  const q = new URLSearchParams({limit: String(PAGE)});
  if (params.get("q")) q.set("q", params.get("q"));
  if (params.get("t")) q.set("t", params.get("t"));
  if (cursor) q.set("cursor", cursor);
  status.textContent = "Loading…";
  const r = await fetch("/api/film-catalog?" + q);
  if (!r.ok) {
    status.textContent = "The catalog answered " + r.status + ": " + (r.headers.get("X-Reason") || "");
    return;
  }
  const page = await r.json();
  page.films.forEach(f => grid.append(card(f)));
  cursor = page.next_cursor;
  more.hidden = !cursor;
  const n = grid.children.length;
  status.textContent = n === 0 ? "No films found." : `${n} film${n === 1 ? "" : "s"}`
      + (params.get("q") ? ` matching “${params.get("q")}”` : "") + (params.get("t") ? ` in ${params.get("t")}` : "");
}

/** Genre chips from the newest films (the catalog has no genre index endpoint; 100 films show the common ones). */
async function genres() {
  const r = await fetch("/api/film-catalog?limit=100");
  if (!r.ok) return;
  const all = new Set();
  (await r.json()).films.forEach(f => (f.genres || []).forEach(g => all.add(g)));
  const nav = document.getElementById("genres");
  const chip = (label, t) => {
    const p = new URLSearchParams(params);
    if (t) p.set("t", t); else p.delete("t");
    const a = el("a", {href: "/films?" + p, class: "chip" + ((params.get("t") || "") === (t || "") ? " on" : "")}, label);
    nav.append(a);
  };
  chip("All", null);
  [...all].sort().forEach(g => chip(g, g));
}

document.getElementById("search").addEventListener("submit", e => {
  e.preventDefault();
  const p = new URLSearchParams(params);
  const q = document.getElementById("q").value.trim();
  if (q) p.set("q", q); else p.delete("q");
  location.search = p.toString();
});
more.addEventListener("click", load);
load();
genres();
