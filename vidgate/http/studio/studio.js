// vidgate studio: a client of the documented API, nothing more. The key stays in localStorage and
// is sent only to this gateway. Videos are fetched with the key and played from blob URLs
// (a <video> element cannot send an Authorization header).
"use strict";

const $ = (sel) => document.querySelector(sel);
const state = { key: localStorage.getItem("vidgate.key") || "", after: null, polls: new Map(), blobs: new Map(), open: null };

function say(message, error = false) {
  const status = $("#status");
  status.textContent = message;
  status.classList.toggle("error", error);
}

async function api(path, options = {}) {
  const headers = { "x-api-key": state.key, ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  if (response.ok) return response;
  let message = `HTTP ${response.status}`;
  try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
  if (response.status === 401) message = `That API key was refused: ${message}`;
  const failure = new Error(message);
  failure.status = response.status;
  throw failure;
}

async function json(path, options) { return (await api(path, options)).json(); }

async function blobUrl(id, variant) {
  const cacheKey = `${id}|${variant}`;
  if (!state.blobs.has(cacheKey)) {
    const blob = await (await api(`/v1/videos/${encodeURIComponent(id)}/content?variant=${variant}`)).blob();
    state.blobs.set(cacheKey, URL.createObjectURL(blob));
  }
  return state.blobs.get(cacheKey);
}

// --- models -------------------------------------------------------------------------------

function priceLabel(model) {
  const rates = model.price && Object.values(model.price.per_second);
  if (!rates || !rates.length) return "";
  const low = Math.min(...rates), high = Math.max(...rates);
  return low === high ? ` · $${low.toFixed(2)}/s` : ` · $${low.toFixed(2)}-${high.toFixed(2)}/s`;
}

async function loadModels() {
  const { data } = await json("/v1/models");
  const select = $("#model");
  const usable = data.filter((m) => m.capabilities.includes("video_generation") && m.lifecycle !== "retired");
  select.replaceChildren(...usable.map((m) => {
    const option = document.createElement("option");
    option.value = m.id;
    option.textContent = m.id + priceLabel(m) + (m.lifecycle === "available" ? "" : ` (${m.lifecycle})`);
    return option;
  }));
  select.onchange = () => { $("#model-name-row").hidden = !select.value.endsWith("/*"); };
  select.onchange();
}

// --- spend ----------------------------------------------------------------------------------

async function loadSpend() {
  const usage = await json("/v1/usage");
  const money = (usd) => `$${usd.toFixed(2)}`;
  const parts = [`Spent ${money(usage.total_cost_usd)} (${usage.total_seconds} s of video)`];
  for (const b of usage.budgets) {
    const who = b.scope === "key" ? "key" : "tenant";
    parts.push(`${who} budget: ${money(b.remaining_usd)} left of ${money(b.limit_usd)} this ${b.period}`);
  }
  $("#spend").textContent = parts.join(" · ");
}

// --- gallery --------------------------------------------------------------------------------

function card(video) {
  let li = document.getElementById(`card-${video.id}`);
  if (!li) {
    li = document.createElement("li");
    li.id = `card-${video.id}`;
    li.className = "card";
    li.innerHTML = `<button class="open" type="button"><img class="thumb" alt=""></button>
      <div class="body"><div class="prompt"></div>
      <progress max="100" value="0"></progress>
      <div class="state"><span class="status"></span>
      <label class="pick"><input type="checkbox" aria-label="select for compare"> compare</label></div>
      <div class="error" hidden></div></div>`;
    li.querySelector(".open").onclick = () => openJob(video.id);
    li.querySelector(".pick input").onchange = updateCompareButton;
    li.dataset.id = video.id;
  }
  li.querySelector(".prompt").textContent = video.prompt || "";
  li.querySelector(".open").setAttribute("aria-label", `Open video: ${video.prompt || video.id}`);
  const progress = li.querySelector("progress");
  progress.value = video.status === "completed" ? 100 : Math.round(video.progress || 0);
  progress.hidden = video.status === "completed" || video.status === "failed";
  li.querySelector(".status").textContent = video.status === "in_progress"
    ? `in progress ${Math.round(video.progress || 0)}%` : video.status;
  li.dataset.status = video.status;
  const error = li.querySelector(".error");
  error.hidden = !video.error;
  if (video.error) error.textContent = `Failed: ${video.error.message || video.error.code}`;
  if (video.status === "completed" && !li.dataset.thumb) {
    li.dataset.thumb = "1";
    blobUrl(video.id, "thumbnail").then((url) => { li.querySelector(".thumb").src = url; }).catch(() => {});
  }
  if (video.status === "queued" || video.status === "in_progress") watch(video.id);
  return li;
}

async function loadGallery(reset = true) {
  if (reset) { state.after = null; $("#gallery").replaceChildren(); }
  const query = new URLSearchParams({ limit: "12" });
  if (state.after) query.set("after", state.after);
  const page = await json(`/openai/v1/videos?${query}`);
  for (const video of page.data) $("#gallery").append(card(video));
  state.after = page.last_id;
  $("#more").hidden = !page.has_more;
}

// Poll one job until it is done: with backoff, honouring the server's poll hint.
function watch(id) {
  if (state.polls.has(id)) return;
  let delay = 400;
  const tick = async () => {
    try {
      const response = await api(`/openai/v1/videos/${encodeURIComponent(id)}`);
      const video = await response.json();
      const hint = Number(response.headers.get("openai-poll-after-ms"));
      card(video);
      if (video.status === "completed" || video.status === "failed") {
        state.polls.delete(id);
        loadSpend().catch(() => {});
        return;
      }
      delay = Math.min(Math.max(hint || delay, delay * 1.3), 5000);
    } catch (failure) {
      if (failure.status === 404) { state.polls.delete(id); return; }
      delay = Math.min(delay * 2, 10000);
    }
    state.polls.set(id, setTimeout(tick, delay));
  };
  state.polls.set(id, setTimeout(tick, delay));
}

// --- create ----------------------------------------------------------------------------------

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function create(event) {
  event.preventDefault();
  let model = $("#model").value;
  if (model.endsWith("/*")) model = model.replace("*", $("#model-name").value.trim());
  const body = { model, prompt: $("#prompt").value.trim(), seconds: Number($("#seconds").value), size: $("#size").value };
  if ($("#seed").value !== "") body.seed = Number($("#seed").value);
  if ($("#negative").value.trim()) body.negative_prompt = $("#negative").value.trim();
  if ($("#image").files[0]) body.input_reference = await readFile($("#image").files[0]);
  const fallbacks = $("#fallbacks").value.split(",").map((s) => s.trim()).filter(Boolean);
  if (fallbacks.length) {
    body.fallbacks = fallbacks.map((f) => ({ provider: f.split("/")[0], model: f.split("/").slice(1).join("/") }));
  }
  $("#generate").disabled = true;
  try {
    const video = await json("/v1/videos", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    $("#gallery").prepend(card({ ...video, progress: video.progress || 0 }));
    say(`Started ${video.id}`);
  } catch (failure) {
    say(failure.message, true);
  } finally {
    $("#generate").disabled = false;
  }
}

// --- one job -----------------------------------------------------------------------------------

async function openJob(id) {
  state.open = id;
  const video = await json(`/v1/videos/${encodeURIComponent(id)}`);
  const meta = $("#meta");
  meta.replaceChildren();
  const cost = video.extra_fields && video.extra_fields.cost;
  const shown = { ...video, ...(cost ? { cost: `$${cost.usd.toFixed(2)}${cost.final ? "" : " (expected)"}` } : {}) };
  for (const [name, value] of Object.entries(shown)) {
    if (value === null || typeof value === "object") continue;
    const dt = document.createElement("dt"); dt.textContent = name;
    const dd = document.createElement("dd"); dd.textContent = value;
    meta.append(dt, dd);
  }
  $("#job-title").textContent = video.prompt;
  const done = video.status === "completed";
  for (const button of document.querySelectorAll("[data-download]")) button.disabled = !done;
  $("#player").removeAttribute("src");
  $("#strip").removeAttribute("src");
  $("#job").showModal();
  if (done) {
    $("#player").src = await blobUrl(id, "video");
    $("#strip").src = await blobUrl(id, "spritesheet");
  }
}

function scrub(event) {
  const player = $("#player");
  const box = event.currentTarget.getBoundingClientRect();
  if (player.duration) player.currentTime = player.duration * Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
}

async function download(variant) {
  const link = document.createElement("a");
  link.href = await blobUrl(state.open, variant);
  link.download = `${state.open.split(":")[0]}-${variant}${{ video: ".mp4", thumbnail: ".webp", spritesheet: ".jpg" }[variant]}`;
  link.click();
}

async function remix(event) {
  event.preventDefault();
  try {
    const video = await json(`/v1/videos/${encodeURIComponent(state.open)}/remix`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: $("#remix-prompt").value.trim() }),
    });
    $("#job").close();
    $("#gallery").prepend(card(video));
    say(`Remixing into ${video.id}`);
  } catch (failure) { say(failure.message, true); }
}

async function remove() {
  if (!confirm("Delete this video and its files? This cannot be undone.")) return;
  try {
    await api(`/v1/videos/${encodeURIComponent(state.open)}`, { method: "DELETE" });
    document.getElementById(`card-${state.open}`)?.remove();
    $("#job").close();
    say("Deleted");
  } catch (failure) { say(failure.message, true); }
}

// --- compare -------------------------------------------------------------------------------------

function picked() {
  return [...document.querySelectorAll("#gallery .pick input:checked")].map((box) => box.closest(".card"));
}

function updateCompareButton() {
  $("#compare-button").disabled = picked().filter((c) => c.dataset.status === "completed").length < 2;
}

async function compare() {
  const grid = $("#compare-grid");
  grid.replaceChildren();
  for (const cardNode of picked().filter((c) => c.dataset.status === "completed")) {
    const figure = document.createElement("figure");
    const player = document.createElement("video");
    player.muted = true; player.playsInline = true; player.controls = true;
    player.src = await blobUrl(cardNode.dataset.id, "video");
    const caption = document.createElement("figcaption");
    caption.textContent = cardNode.querySelector(".prompt").textContent;
    figure.append(player, caption);
    grid.append(figure);
  }
  $("#compare").showModal();
}

function playTogether() {
  const players = [...document.querySelectorAll("#compare-grid video")];
  for (const player of players) player.currentTime = 0;
  Promise.all(players.map((p) => p.play())).catch((failure) => say(failure.message, true));
}

// --- start ------------------------------------------------------------------------------------------

async function start() {
  if (!state.key) { say("Paste an API key to begin."); return; }
  try {
    await loadModels();
    await loadGallery();
    await loadSpend();
    say("Ready.");
  } catch (failure) {
    say(failure.message, true);
  }
}

$("#key").value = state.key;
$("#key-form").onsubmit = (event) => {
  event.preventDefault();
  state.key = $("#key").value.trim();
  localStorage.setItem("vidgate.key", state.key);
  start();
};
$("#create-form").onsubmit = create;
$("#more").onclick = () => loadGallery(false).catch((failure) => say(failure.message, true));
$("#strip").onmousemove = scrub;
$("#strip").onclick = scrub;
for (const button of document.querySelectorAll("[data-download]")) button.onclick = () => download(button.dataset.download);
$("#delete").onclick = remove;
$("#remix-form").onsubmit = remix;
$("#compare-button").onclick = compare;
$("#play-all").onclick = playTogether;
start();
