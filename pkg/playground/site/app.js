// The playground's demo: sign in with a development token, then load
// private images through the local edge with signed cookies, with signed
// URLs, or with a fresh URL per view for comparison.
"use strict";

const api = "/edgepass/v1";
const users = { alice: { plan: "premium" }, bob: {} };
const images = [
  "/private/users/alice/cat.svg",
  "/private/users/alice/garden.svg",
  "/private/users/bob/boat.svg",
  "/private/shared/map.svg",
  "/private/premium/gold.svg",
];
const explanations = {
  cookies: "Clean URLs; the browser sends the CloudFront-* cookies the " +
    "issuer set. The same URL on every load, so reloads come from the " +
    "browser cache.",
  urls: "Each image gets a signed URL from the issuer on every load. The " +
    "issuer rounds expiries up to a window, so a reload gets the very " +
    "same URL and the browser cache still answers.",
  fresh: "Control: a URL signed at the moment of each view, expiry not " +
    "rounded, like many presigning services. Every load is a new URL, so " +
    "every load goes to the edge. Shared image only.",
};

const $ = (id) => document.getElementById(id);
const session = window.sessionStorage;

function mode() {
  const m = location.hash.slice(1);
  return m in explanations ? m : "cookies";
}

function authHeaders() {
  return { Authorization: "Bearer " + session.getItem("token") };
}

async function signIn(user) {
  const resp = await fetch("/_dev/token", {
    method: "POST",
    body: JSON.stringify({ sub: user, claims: users[user] }),
  });
  if (!resp.ok) throw new Error("token: " + resp.status);
  session.setItem("token", await resp.text());
  session.setItem("user", user);
  session.removeItem("signedOut");
  await render();
}

async function signOut() {
  if (session.getItem("token")) {
    await fetch(api + "/signed-cookies", { method: "DELETE", headers: authHeaders() });
  }
  session.removeItem("token");
  session.removeItem("user");
  // Copies already in the browser cache stay there until max-age ends;
  // a new query string makes the next load ask the edge again.
  session.setItem("signedOut", String(Date.now()));
  await render();
}

// sources returns, per image, the src to load or the reason there is none.
async function sources(m) {
  const signedIn = session.getItem("token") !== null;
  if (m === "fresh") {
    return images.filter((p) => p.startsWith("/private/shared/"))
      .map((p) => ({ path: p, src: "/_dev/fresh-url?path=" + encodeURIComponent(p) }));
  }
  if (m === "cookies") {
    if (signedIn) {
      const resp = await fetch(api + "/signed-cookies", { method: "POST", headers: authHeaders() });
      if (!resp.ok) throw new Error("signed cookies: " + resp.status);
    }
    const bust = session.getItem("signedOut");
    return images.map((p) => ({ path: p, src: bust ? p + "?after-sign-out=" + bust : p }));
  }
  if (!signedIn) return images.map((p) => ({ path: p, note: "sign in to get signed URLs" }));
  return Promise.all(images.map(signedURL));
}

// signedURL asks for one URL at a time: a batch is all or nothing.
async function signedURL(path) {
  const resp = await fetch(api + "/signed-urls", {
    method: "POST",
    headers: { ...authHeaders(), "Content-Type": "application/json" },
    body: JSON.stringify({ paths: [path] }),
  });
  if (!resp.ok) return { path, note: "issuer refused: " + resp.status };
  const body = await resp.json();
  return { path, src: body.urls[0].url };
}

function figure(s) {
  const fig = document.createElement("figure");
  const img = document.createElement("img");
  const cap = document.createElement("figcaption");
  img.dataset.path = s.path;
  img.alt = s.path;
  cap.innerHTML = "<span class=state>…</span><br>";
  cap.append(s.path);
  if (s.src && s.src !== s.path) {
    // The URL itself: in signed-URL mode a reload shows the same one.
    const code = document.createElement("code");
    code.className = "src";
    code.textContent = s.src;
    cap.append(document.createElement("br"), code);
  }
  fig.append(img, cap);
  const settled = new Promise((resolve) => {
    const done = (ok, text) => {
      fig.className = ok ? "loaded" : "refused";
      cap.firstChild.textContent = text;
      resolve();
    };
    if (!s.src) return done(false, s.note);
    img.onload = () => done(true, "loaded");
    img.onerror = () => done(false, "refused by the edge");
    img.src = s.src;
  });
  return { fig, settled };
}

async function render() {
  document.body.dataset.ready = "";
  const m = mode();
  const user = session.getItem("user");
  $("who").textContent = user ? "signed in as " + user : "signed out";
  $("explain").textContent = explanations[m];
  for (const a of document.querySelectorAll("#modes a")) {
    a.classList.toggle("active", a.dataset.mode === m);
  }
  const figs = (await sources(m)).map(figure);
  $("gallery").replaceChildren(...figs.map((f) => f.fig));
  await Promise.all(figs.map((f) => f.settled));
  await showStats();
  document.body.dataset.ready = "1";
}

async function showStats() {
  const resp = await fetch("/_edge/stats", { cache: "no-store" });
  const stats = (await resp.json()).requests;
  const rows = images.map((p) => {
    const tr = document.createElement("tr");
    tr.innerHTML = "<td></td><td></td>";
    tr.cells[0].textContent = String(stats[p] || 0);
    tr.cells[1].textContent = p;
    return tr;
  });
  $("stats").replaceChildren(...rows);
}

function guarded(fn) {
  return (...args) => fn(...args).catch((err) => {
    $("explain").textContent = "error: " + err.message;
    document.body.dataset.ready = "error";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("button[data-user]")) {
    b.onclick = guarded(() => signIn(b.dataset.user));
  }
  $("sign-out").onclick = guarded(signOut);
  $("reset").onclick = guarded(async () => {
    await fetch("/_edge/stats/reset", { method: "POST" });
    await showStats();
  });
  window.addEventListener("hashchange", guarded(render));
  guarded(render)();
});
