// The newsroom page: one request to /v1/annotate, the answer laid out for an editor.
// Plain script, no libraries, nothing fetched but this service's own routes.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { teaserBudget: 200, needsToken: false, last: null };

function headers() {
  const h = { "Content-Type": "application/json" };
  const token = $("token").value.trim() || sessionStorage.getItem("copydesk-token") || "";
  if (token) h.Authorization = "Bearer " + token;
  return h;
}

function setStatus(text, error) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", !!error);
}

async function loadModel() {
  const r = await fetch("/v1/model", { headers: headers() });
  if (r.status === 401) {
    state.needsToken = true;
    $("token-box").hidden = false;
    $("token-box").open = true;
    $("model-line").textContent = "This service needs an access token.";
    return;
  }
  if (!r.ok) return;
  const m = await r.json();
  state.teaserBudget = m.teaser_chars || 200;
  const desk = m.desk && m.desk.name ? " · desk: " + m.desk.name : "";
  $("model-line").textContent = "Model " + m.checksum + " · " + m.sections.length + " sections · "
    + m.features.toLocaleString() + " terms" + (m.calibrated ? " · calibrated" : "") + desk;
  if (m.report) {
    $("no-report").hidden = true;
    $("report-frame").hidden = false;
    $("report-frame").src = "/report";
  }
}

function looksLikeHTML(name, text) {
  if (/\.(html?|xhtml)$/i.test(name || "")) return true;
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || (head.startsWith("<") && head.includes("<body"));
}

async function annotate(event) {
  if (event) event.preventDefault();
  const text = $("article").value;
  if (!text.trim()) { setStatus("Paste a story or drop a file first.", true); $("article").focus(); return; }
  const body = { explain: 8, scores: true };
  if (looksLikeHTML(state.fileName, text)) body.html = text; else body.text = text;
  const title = $("title").value.trim();
  if (title) body.title = title;
  const token = $("token").value.trim();
  if (token) sessionStorage.setItem("copydesk-token", token);
  $("go").disabled = true;
  setStatus("Reading the story…");
  try {
    const r = await fetch("/v1/annotate", { method: "POST", headers: headers(), body: JSON.stringify(body) });
    const answer = await r.json().catch(() => ({ error: "the service answered " + r.status }));
    if (!r.ok) {
      if (r.status === 401) { $("token-box").hidden = false; $("token-box").open = true; $("token").focus(); }
      setStatus(answer.error || ("The service answered " + r.status + "."), true);
      return;
    }
    render(answer);
    setStatus("Done: " + answer.label + ".");
  } catch (e) {
    setStatus("The service could not be reached (" + e.message + ").", true);
  } finally {
    $("go").disabled = false;
  }
}

function render(a) {
  state.last = a;
  $("results").hidden = false;
  const probabilities = Object.entries(a.probabilities).sort((x, y) => y[1] - x[1]);
  $("label").textContent = a.label;
  $("confidence").textContent = (100 * probabilities[0][1]).toFixed(1) + "%";
  $("review").hidden = a.review !== true;

  const bars = $("bars");
  bars.replaceChildren();
  probabilities.forEach(([name, p], i) => {
    const li = document.createElement("li");
    if (i === 0) li.className = "top";
    const n = document.createElement("span"); n.className = "name"; n.textContent = name;
    const track = document.createElement("span"); track.className = "track";
    const fill = document.createElement("span"); fill.className = "fill"; fill.style.width = (100 * p).toFixed(1) + "%";
    fill.style.display = "block";
    track.appendChild(fill);
    const pct = document.createElement("span"); pct.className = "pct"; pct.textContent = (100 * p).toFixed(1) + "%";
    li.setAttribute("aria-label", name + " " + (100 * p).toFixed(1) + " percent");
    li.append(n, track, pct);
    bars.appendChild(li);
  });

  const terms = $("terms");
  terms.replaceChildren();
  const explanation = a.explanation || [];
  if (!explanation.length) {
    const li = document.createElement("li"); li.textContent = "no known term: the section's prior decided"; terms.appendChild(li);
  }
  for (const t of explanation) {
    const li = document.createElement("li");
    if (t.contribution < 0) li.className = "against";
    li.textContent = t.term + " " + (t.contribution >= 0 ? "+" : "") + t.contribution.toFixed(2);
    li.title = "tf-idf " + t.tfidf.toFixed(3) + " × weight " + t.weight.toFixed(2);
    terms.appendChild(li);
  }

  $("lede").textContent = a.lede;
  $("teaser").textContent = a.teaser;
  const chars = [...a.teaser].length;
  const count = $("teaser-count");
  count.textContent = chars + " / " + state.teaserBudget + " characters" + (a.teaser_shortened ? " · shortened" : "");
  count.classList.toggle("over", chars > state.teaserBudget);
  $("summary").textContent = a.summary;

  const chosen = new Set(a.summary_sentences || []);
  const body = $("body");
  body.replaceChildren();
  for (const s of a.scores || []) {
    const el = document.createElement(chosen.has(s.text) ? "mark" : "span");
    el.textContent = s.text;
    body.append(el, " ");
  }
}

async function copy(button) {
  const field = button.dataset.copy;
  const text = state.last ? state.last[field] : "";
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch (e) {
    // Without clipboard permission, select the text so Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents($(field));
    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    button.textContent = "Selected";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
}

function readFile(file) {
  if (!file) return;
  state.fileName = file.name;
  $("file-name").textContent = file.name + " (" + Math.round(file.size / 1024) + " KB)";
  const reader = new FileReader();
  reader.onload = () => { $("article").value = reader.result; annotate(); };
  reader.onerror = () => setStatus("Could not read " + file.name + ".", true);
  reader.readAsText(file);
}

function showView(name) {
  for (const v of ["desk", "report"]) {
    const on = v === name;
    $("tab-" + v).setAttribute("aria-selected", String(on));
    $("tab-" + v).tabIndex = on ? 0 : -1;
    $("view-" + v).hidden = !on;
  }
}

$("article-form").addEventListener("submit", annotate);
$("article").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) annotate(e); });
$("article").addEventListener("input", () => { state.fileName = null; $("file-name").textContent = ""; });
$("file").addEventListener("change", (e) => readFile(e.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); readFile(e.dataTransfer.files[0]); });
document.querySelectorAll("button.copy").forEach((b) => b.addEventListener("click", () => copy(b)));
$("tab-desk").addEventListener("click", () => showView("desk"));
$("tab-report").addEventListener("click", () => showView("report"));
document.querySelector(".views").addEventListener("keydown", (e) => {
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  const next = $("tab-desk").getAttribute("aria-selected") === "true" ? "report" : "desk";
  showView(next);
  $("tab-" + next).focus();
});
$("token").addEventListener("change", loadModel);
loadModel();
