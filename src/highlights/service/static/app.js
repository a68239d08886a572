// The highlights page: send the article to POST /v1/highlights, list the bullets, and show the article with
// every bullet's source spans (character offsets into `text`) marked. User text only ever enters the page as
// DOM text nodes, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let pinned = null; // the bullet index a click fixed, or null

async function loadConfig() {
  const response = await fetch("/v1/config");
  const config = await response.json();
  const select = $("method");
  // The first choice sends no method: the server picks by language (the default for English).
  select.add(new Option(`auto (${config.default_method} for English)`, "", true, true));
  for (const name of config.methods) {
    const option = new Option(name, name);
    option.title = (config.method_descriptions || {})[name] || "";
    select.add(option);
  }
  $("url-choice").hidden = !config.url_fetching;
}

function inputKind() {
  return document.querySelector('input[name="kind"]:checked').value;
}

function showKind() {
  const isUrl = inputKind() === "url";
  $("url-input").hidden = !isUrl;
  $("article-input").hidden = isUrl;
}

function requestBody() {
  const body = {};
  const kind = inputKind();
  body[kind] = kind === "url" ? $("url-input").value.trim() : $("article-input").value;
  if ($("method").value) body.method = $("method").value;
  const bullets = $("bullets").value.trim();
  if (bullets) body.bullets = Number(bullets);
  if ($("length").value !== "story") body.length = $("length").value;
  // Checked leaves it to the server (English articles are shortened, others not); unchecked turns it off.
  if (!$("compress").checked) body.compress = false;
  return body;
}

function setStatus(message, isError) {
  $("status").textContent = message;
  $("status").classList.toggle("error", Boolean(isError));
}

// An error is about the article just sent: the result of an earlier one must not stay under it.
function showError(message) {
  setStatus(message, true);
  $("result").hidden = true;
  pinned = null;
}

// The short made-up story shipped with the page, as plain text.
async function fillExample() {
  try {
    const response = await fetch("/static/example.txt");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document.querySelector('input[name="kind"][value="text"]').checked = true;
    showKind();
    $("article-input").value = await response.text();
    setStatus("Example article filled in: press Get highlights.");
    $("submit").focus();
  } catch (error) {
    setStatus(`Could not load the example: ${error.message}`, true);
  }
}

async function submit(event) {
  event.preventDefault();
  $("submit").disabled = true;
  setStatus("Working…");
  try {
    const response = await fetch("/v1/highlights", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestBody()),
    });
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      showError(payload && payload.error ? payload.error.message : `HTTP ${response.status}`);
      return;
    }
    render(payload);
    setStatus(`${payload.highlights.length} bullet(s) from ${payload.sentence_count} sentence(s), method ${payload.method}, language ${payload.language}`);
  } catch (error) {
    showError(`The server could not be reached: ${error.message}`);
  } finally {
    $("submit").disabled = false;
  }
}

// One list item per text, set as text (never as HTML).
function textItems(texts) {
  return texts.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  });
}

function render(result) {
  pinned = null;
  $("title").textContent = result.title || "";
  $("title").hidden = !result.title;
  const byline = [result.author ? `By ${result.author}` : "", result.kind === "opinion" ? "opinion" : ""];
  $("byline").textContent = byline.filter(Boolean).join(" · ");

  const warnings = result.warnings || [];
  $("warnings").hidden = warnings.length === 0;
  $("warnings").replaceChildren(...textItems(warnings));

  const list = $("bullets-list");
  list.replaceChildren();
  result.highlights.forEach((highlight, index) => {
    const item = document.createElement("li");
    item.textContent = highlight.text;
    item.tabIndex = 0;
    item.dataset.index = String(index);
    // The score's scale is the method's own (log-odds for learned); its rank among the sentences reads the same.
    const place = highlight.rank ? `; ${result.method} ranks it #${highlight.rank} of ${result.sentence_count}` : "";
    item.title = `Sentence ${highlight.sentence_index + 1} of ${result.sentence_count}${place}. `
      + "Point at it or click it to see where it comes from.";
    item.addEventListener("mouseenter", () => activate(index, false));
    item.addEventListener("mouseleave", () => activate(pinned, false));
    item.addEventListener("focus", () => activate(index, false));
    item.addEventListener("click", () => pin(index));
    item.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pin(index); } });
    list.append(item);
  });

  const references = result.reference_highlights || [];
  $("reference").hidden = references.length === 0;
  $("reference-list").replaceChildren(...textItems(references));

  renderArticle(result);
  $("result").hidden = false;
}

// Cut `text` at every span boundary; each piece knows which bullets' spans (and which removed regions, and which
// pieces compression cut from a bullet's sentence) cover it.
function renderArticle(result) {
  const text = result.text;
  const ranges = [];
  result.highlights.forEach((h, index) => h.spans.forEach(([start, end]) => ranges.push({ start, end, bullet: index })));
  result.highlights.forEach((h, index) => (h.deleted || []).forEach((d) => ranges.push({
    start: d.span[0], end: d.span[1], cutFrom: index, kind: d.kind,
  })));
  result.removed.forEach((r) => ranges.push({ start: r.span[0], end: r.span[1], reason: r.reason }));
  const cuts = new Set([0, text.length]);
  ranges.forEach((r) => { cuts.add(r.start); cuts.add(r.end); });
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);

  const article = $("article");
  article.replaceChildren();
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = ranges.filter((r) => r.start <= start && r.end >= end);
    const bullets = covering.filter((r) => r.bullet !== undefined).map((r) => r.bullet);
    const removed = covering.find((r) => r.reason !== undefined);
    const cut = covering.filter((r) => r.cutFrom !== undefined);
    const piece = document.createTextNode(text.slice(start, end));
    if (bullets.length) {
      const mark = document.createElement("mark");
      mark.className = "source";
      mark.dataset.bullets = bullets.join(" ");
      mark.append(piece);
      mark.addEventListener("click", () => pin(bullets[0]));
      article.append(mark);
    } else if (cut.length) {
      const span = document.createElement("span");
      span.className = "cut";
      span.dataset.bullets = cut.map((r) => r.cutFrom).join(" ");
      span.title = `cut from the bullet: ${cut[0].kind}`;
      span.append(piece);
      article.append(span);
    } else if (removed) {
      const span = document.createElement("span");
      span.className = "removed";
      span.title = `kept out: ${removed.reason}`;
      span.append(piece);
      article.append(span);
    } else {
      article.append(piece);
    }
  }
}

function activate(index, scroll) {
  document.querySelectorAll("#bullets-list li").forEach((item) => {
    item.classList.toggle("active", Number(item.dataset.index) === index);
    item.classList.toggle("pinned", Number(item.dataset.index) === pinned);
  });
  let first = null;
  document.querySelectorAll("#article mark.source, #article span.cut").forEach((mark) => {
    const on = index !== null && mark.dataset.bullets.split(" ").map(Number).includes(index);
    mark.classList.toggle("active", on);
    if (on && !first && mark.matches("mark")) first = mark;
  });
  if (scroll && first) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

function pin(index) {
  pinned = pinned === index ? null : index;
  activate(pinned, true);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll('input[name="kind"]').forEach((radio) => radio.addEventListener("change", showKind));
  $("request-form").addEventListener("submit", submit);
  $("example").addEventListener("click", fillExample);
  loadConfig().catch((error) => setStatus(`Could not load the server's settings: ${error.message}`, true));
});
