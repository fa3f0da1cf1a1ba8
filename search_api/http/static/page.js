// The commissioners' page: asks /ask and shows the answer, its numbered sources, the entities it
// names and a diagram of the first one. Text from documents is only ever inserted as text nodes
// (textContent), never as HTML, so a document cannot put markup or script into the page.
import { el, showNeighbourhood } from "./diagram.js";
import { kindLabel, typeLabel, vocabulary } from "./vocabulary.js";

const form = document.getElementById("ask-form");
const input = document.getElementById("q");
const filters = ["kind", "regime", "as_of"].map((id) => document.getElementById(id));
const status = document.getElementById("status");
const out = document.getElementById("answer");
let idBase = "https://w3id.org/p2p-kg/id/";
let asked = 0;

const health = fetch("/health")
  .then((r) => (r.ok ? r.json() : {}))
  .then((h) => (idBase = h.id_base || idBase))
  .catch(() => idBase);

const localHref = (iri) => (iri.startsWith(idBase) ? "/id/" + iri.slice(idBase.length) : iri);
const passageHref = (id) => "/id/passage/" + id.split("/").map(encodeURIComponent).join("/");

function link(text, href, cls) {
  const a = el("a", text, cls);
  a.href = href;
  return a;
}

// Passage text with the matched words in <mark>; `marks` are [start, end) offsets into text.
function highlighted(text, marks) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [s, e] of marks || []) {
    if (s < pos || e > text.length) continue;
    frag.append(text.slice(pos, s), el("mark", text.slice(s, e)));
    pos = e;
  }
  frag.append(text.slice(pos));
  return frag;
}

// The answer text, with each "[n]" turned into a link to source n.
function answerText(text, count) {
  const p = el("p", undefined, "answer-text");
  let pos = 0;
  for (const m of text.matchAll(/\[(\d+)\]/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > count) continue;
    p.append(text.slice(pos, m.index));
    const a = link(m[0], "#cite-" + n, "ref");
    a.setAttribute("aria-label", "source " + n);
    p.append(a);
    pos = m.index + m[0].length;
  }
  p.append(text.slice(pos));
  return p;
}

function citation(c) {
  const item = el("li");
  item.id = "cite-" + c.n;
  item.value = c.n;
  const head = el("p", undefined, "cite-head");
  head.append(el("span", kindLabel(c.kind), "kind"), " ");
  head.append(/^https?:\/\//.test(c.source_url) ? link(c.title, c.source_url, "source") : el("span", c.title, "source"));
  if (c.page != null) head.append(" ", el("span", "p. " + c.page, "kind"));
  item.append(head);
  if (c.heading) item.append(el("p", c.heading, "meta"));
  const quote = el("blockquote");
  quote.append(highlighted(c.text, c.highlights));
  item.append(quote);
  const more = el("p", undefined, "meta");
  more.append(link("This passage in the knowledge graph", passageHref(c.passage_id), "ld"), " · " + c.passage_id);
  item.append(more);
  return item;
}

function render(data) {
  const section = el("section");
  section.setAttribute("aria-labelledby", "answer-heading");
  const heading = el("h2", "Answer");
  heading.id = "answer-heading";
  section.append(heading);
  const text = answerText(data.answer.text, data.citations.length);
  if (!data.answer.supported) text.className = "answer-text notice";
  if (data.corrections && data.corrections.length) {
    // Say what was searched, so a surprising answer can be traced to the spelling fix.
    const spelled = data.corrections.map((c) => `“${c.searched}” for “${c.typed}”`).join(", ");
    section.append(el("p", `Searched for ${spelled}.`, "meta spelling"));
  }
  section.append(text);
  if (data.regime_notes && data.regime_notes.length) {
    // Which law applies on the procurement's start date: shown apart, so it is not missed.
    const note = el("aside", undefined, "regime-note");
    note.setAttribute("aria-label", "Which law applies");
    note.append(el("h3", `Which law applies to a procurement started on ${data.as_of}`));
    for (const n of data.regime_notes) note.append(answerText(n.text + " " + n.citations.map((c) => `[${c}]`).join(""), data.citations.length));
    section.append(note);
  }
  const parts = [section];
  if (data.entities.length) {
    const related = el("section", undefined, "related");
    related.append(el("h2", "In the knowledge graph"));
    const list = el("ul", undefined, "entities");
    for (const e of data.entities) {
      const item = el("li");
      item.append(link(e.label, localHref(e.iri)), " ", el("span", `(${typeLabel(e.type)})`, "meta"));
      list.append(item);
    }
    const diagram = el("div", undefined, "diagram");
    related.append(list, diagram);
    parts.push(related);
    showNeighbourhood(diagram, data.entities[0].iri);
  }
  if (data.citations.length) parts.push(passages("sources", "Sources", data.citations));
  if (data.nearest && data.nearest.length) {
    // Declined, but the closest passages are listed apart, plainly not as an answer.
    parts.push(passages("sources nearest", "Nearest passages", data.nearest,
      "The closest the sources come. They do not answer the question closely enough to cite."));
  }
  out.replaceChildren(...parts);
}

function passages(className, heading, items, intro) {
  const section = el("section", undefined, className);
  section.append(el("h2", heading));
  if (intro) section.append(el("p", intro, "meta"));
  const list = el("ol", undefined, "citations");
  for (const c of items) list.append(citation(c));
  section.append(list);
  return section;
}

async function ask(question) {
  const params = new URLSearchParams({ q: question });
  for (const f of filters) if (f.value) params.append(f.name, f.value);
  history.replaceState(null, "", "?" + params);
  const mine = ++asked;
  status.textContent = "Looking for an answer…";
  out.setAttribute("aria-busy", "true");
  try {
    await Promise.all([health, vocabulary]);
    const response = await fetch("/ask?" + params);
    const data = await response.json();
    if (mine !== asked) return;
    if (!response.ok) {
      out.replaceChildren();
      status.textContent = data.detail || "The question could not be answered.";
    } else {
      render(data);
      const n = data.citations.length;
      status.textContent = data.answer.supported
        ? `Answer ready, with ${n} source${n === 1 ? "" : "s"}.`
        : data.answer.status === "not_known"
          ? "No answer: the sources say this is not known; the passage that says so is cited."
          : "No answer: the sources do not cover this question" + (data.nearest && data.nearest.length ? "; the nearest passages are listed." : ".");
    }
  } catch (err) {
    if (mine === asked) status.textContent = "The service could not be reached. Please try again.";
  } finally {
    if (mine === asked) out.setAttribute("aria-busy", "false");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.value.trim()) ask(input.value.trim());
});
for (const button of document.querySelectorAll(".example")) {
  button.addEventListener("click", () => {
    input.value = button.textContent;
    ask(input.value);
  });
}
// The kind filter offers the vocabulary's kinds; then a link such as /?q=...&kind=faq (the
// widget's "full page" link) sets the filters and asks on arrival.
vocabulary.then((v) => {
  const kind = document.getElementById("kind");
  for (const k of v.kinds) {
    const option = el("option", k.plural);
    option.value = k.kind;
    kind.append(option);
  }
  const start = new URLSearchParams(location.search);
  for (const f of filters) if (start.get(f.name)) f.value = start.get(f.name);
  if (start.get("q")) {
    input.value = start.get("q");
    ask(input.value.trim());
  }
});
