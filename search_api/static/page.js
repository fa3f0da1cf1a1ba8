// The commissioners' page: asks /ask and renders the answer. Passage text is always inserted
// as text nodes, never as HTML, so a document cannot inject markup into the page.
"use strict";
(function () {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("q");
  const kind = document.getElementById("kind");
  const out = document.getElementById("answer");

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function highlighted(text, marks) {
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const [s, e] of marks || []) {
      if (s < pos) continue;
      frag.appendChild(document.createTextNode(text.slice(pos, s)));
      frag.appendChild(el("mark", text.slice(s, e)));
      pos = e;
    }
    frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  function render(data) {
    out.replaceChildren();
    out.appendChild(el("h2", "Answer"));
    out.appendChild(el("p", data.answer.text, data.answer.supported ? "text" : "text unsupported"));
    if (!data.citations.length) return;
    out.appendChild(el("h2", "Sources"));
    const list = el("ol", undefined, "citations");
    for (const c of data.citations) {
      const item = el("li");
      item.id = "cite-" + c.n;
      const link = el("a", c.title);
      if (/^https?:\/\//.test(c.source_url)) link.href = c.source_url;
      link.rel = "noopener";
      item.appendChild(link);
      item.appendChild(el("div", c.kind.replace("_", " ") + " · " + c.passage_id, "meta"));
      const quote = el("blockquote");
      quote.appendChild(highlighted(c.text, c.highlights));
      item.appendChild(quote);
      list.appendChild(item);
    }
    out.appendChild(list);
  }

  async function ask(question) {
    const params = new URLSearchParams({ q: question });
    if (kind.value) params.append("kind", kind.value);
    out.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/ask?" + params.toString());
      const data = await response.json();
      if (!response.ok) {
        out.replaceChildren(el("p", data.detail || "The question could not be answered."));
      } else {
        render(data);
      }
    } catch (err) {
      out.replaceChildren(el("p", "The service could not be reached."));
    } finally {
      out.setAttribute("aria-busy", "false");
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
})();
