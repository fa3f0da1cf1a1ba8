/* <kg-search>: search the Procurement to Partnership toolkit from any site, with one script tag.

     <script src="https://HOST/widget.js" defer></script>
     <kg-search endpoint="https://HOST" placeholder="Ask about partnering" max-results="5"></kg-search>

   Typing searches passages as you go (GET /search); Enter asks for a cited answer (GET /ask).
   The input is an ARIA combobox: ArrowDown/ArrowUp move through the passages, Enter opens the
   active one, Escape closes the list. Theme it with CSS custom properties set on the element or
   any ancestor: --kg-accent, --kg-font, --kg-bg, --kg-fg, --kg-muted, --kg-border, --kg-mark,
   --kg-radius, --kg-focus. The site's origin must be in the service's KG_CORS_ORIGINS.
   Text from documents is only ever inserted as text, never as HTML. */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("kg-search")) return;
  const script = document.currentScript;
  const ORIGIN = script && script.src ? new URL(script.src).origin : location.origin;
  // Kind labels come from the service's vocabulary (GET /vocabulary), fetched once per service;
  // without them a kind shows as its own name with underscores as spaces.
  const vocabularies = new Map();
  function kindLabels(endpoint) {
    if (!vocabularies.has(endpoint)) {
      const labels = fetch(endpoint + "/vocabulary", { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { kinds: [] }))
        .then((v) => new Map(v.kinds.map((k) => [k.kind, k.label])))
        .catch(() => new Map());
      vocabularies.set(endpoint, labels);
    }
    return vocabularies.get(endpoint);
  }
  const CSS = `
:host{display:block;font:var(--kg-font,inherit);color:var(--kg-fg,#1b1b1b);--a:var(--kg-accent,#1d4f91);--m:var(--kg-muted,#4f5a60);--b:var(--kg-border,#b1b4b6);--r:var(--kg-radius,6px)}
.kg{background:var(--kg-bg,#fff);border:1px solid var(--b);border-radius:var(--r);padding:.75em}
.bar{display:flex;gap:.5em}
input{flex:1;min-width:0;font:inherit;color:inherit;background:transparent;padding:.5em .6em;border:2px solid currentColor;border-radius:var(--r)}
button{font:inherit;font-weight:600;padding:.5em 1em;border:0;border-radius:var(--r);background:var(--a);color:var(--kg-on-accent,#fff);cursor:pointer}
:focus-visible{outline:3px solid var(--kg-focus,currentColor);outline-offset:2px}
ul,ol{margin:.5em 0 0;padding:0}
[role=listbox]{list-style:none;border:1px solid var(--b);border-radius:var(--r);max-height:24em;overflow:auto}
[role=option]{padding:.5em .75em;cursor:pointer;border-left:4px solid transparent}
[role=option]+[role=option]{border-top:1px solid var(--b)}
[role=option]:hover{background:color-mix(in srgb,var(--a) 7%,var(--kg-bg,#fff))}
[aria-selected=true]{background:color-mix(in srgb,var(--a) 14%,var(--kg-bg,#fff));border-left-color:var(--a)}
.t{display:block;font-weight:600}
.k,.s,.full{font-size:.875em;color:var(--m)}
.k{display:block}
ol{padding-left:1.5em}
li p,.ans p{margin:.3em 0}.note{border-left:4px solid #b58105;background:#fff8e6;padding:.2em .6em}
mark{background:var(--kg-mark,#fff2a8);color:#1b1b1b}
a{color:var(--a)}
.s:empty{display:none}
.s{margin:.5em 0 0}
.full{display:inline-block;margin-top:.5em}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[hidden]{display:none}`;

  function h(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const k in attrs || {}) node.setAttribute(k, attrs[k]);
    node.append(...kids);
    return node;
  }

  // Up to `size` characters of passage text around its first match, matches in <mark>.
  function marked(text, marks, size) {
    const first = marks && marks.length ? marks[0][0] : 0;
    const from = size && text.length > size ? Math.max(0, Math.min(first - 40, text.length - size)) : 0;
    const to = size ? Math.min(text.length, from + size) : text.length;
    const out = [from ? "…" : ""];
    let pos = from;
    for (const [s, e] of marks || []) {
      if (s < pos || e > to) continue;
      out.push(text.slice(pos, s), h("mark", null, text.slice(s, e)));
      pos = e;
    }
    out.push(text.slice(pos, to), to < text.length ? "…" : "");
    return out;
  }

  const safe = (url) => (/^https?:\/\//.test(url || "") ? url : null);

  class KgSearch extends HTMLElement {
    static get observedAttributes() {
      return ["placeholder", "label"];
    }

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } else {
        root.append(h("style", null, CSS));
      }
      this.input = h("input", {
        id: "q",
        type: "search",
        role: "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": "list",
        autocomplete: "off",
        part: "input",
      });
      this.button = h("button", { type: "button", part: "button" }, "Ask");
      this.list = h("ul", { id: "list", role: "listbox", "aria-label": "Matching passages", hidden: "", part: "list" });
      this.status = h("p", { class: "s", role: "status" });
      this.answer = h("div", { class: "ans", part: "answer" });
      this.full = h("a", { class: "full", target: "_top", part: "link" }, "Open the full answer page");
      this.label = h("label", { for: "q", class: "vh" });
      root.append(
        h(
          "div",
          { class: "kg", part: "container" },
          this.label,
          h("div", { class: "bar" }, this.input, this.button),
          this.list,
          this.status,
          this.answer,
          this.full,
        ),
      );
      this.results = [];
      this.kinds = new Map();
      this.active = -1;
      this.timer = 0;
      this.seq = 0;
      this.input.addEventListener("input", () => this.typed());
      this.input.addEventListener("keydown", (e) => this.key(e));
      this.input.addEventListener("blur", () => this.close());
      this.button.addEventListener("click", () => this.ask());
      // mousedown would take focus from the input (and close the list) before the click.
      this.list.addEventListener("mousedown", (e) => e.preventDefault());
      this.list.addEventListener("click", (e) => {
        const option = e.target.closest("[role=option]");
        if (option) this.pick(Number(option.dataset.i));
      });
    }

    connectedCallback() {
      this.attributeChangedCallback();
      this.link();
    }

    attributeChangedCallback() {
      this.input.placeholder = this.getAttribute("placeholder") || "Ask about partnering with social enterprises";
      this.label.textContent = this.getAttribute("label") || "Search the Procurement to Partnership toolkit";
    }

    get endpoint() {
      return (this.getAttribute("endpoint") || ORIGIN).replace(/\/+$/, "");
    }

    get max() {
      const n = parseInt(this.getAttribute("max-results"), 10);
      return n >= 1 && n <= 20 ? n : 5;
    }

    get query() {
      return this.input.value.trim();
    }

    link() {
      this.full.href = this.endpoint + "/" + (this.query ? "?q=" + encodeURIComponent(this.query) : "");
    }

    kind(name) {
      return this.kinds.get(name) || name.replace(/_/g, " ");
    }

    say(text) {
      this.status.textContent = text;
    }

    async get(path) {
      const mine = ++this.seq;
      const url = this.endpoint + path + "?" + new URLSearchParams({ q: this.query, k: this.max });
      const labels = kindLabels(this.endpoint);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        const data = await response.json();
        this.kinds = await labels;
        if (mine !== this.seq) return null;
        if (!response.ok) throw new Error(data.detail || "error " + response.status);
        return data;
      } catch (err) {
        if (mine === this.seq) this.say("The search service could not be reached.");
        return null;
      }
    }

    typed() {
      this.link();
      clearTimeout(this.timer);
      if (this.query.length < 3) {
        this.seq++;
        this.show([]);
        return;
      }
      this.list.setAttribute("aria-busy", "true");
      this.timer = setTimeout(() => this.search(), 250);
    }

    async search() {
      const data = await this.get("/search");
      if (!data) return;
      this.list.setAttribute("aria-busy", "false");
      this.show(data.results);
      const n = data.results.length;
      this.say(
        n ? `${n} passage${n > 1 ? "s" : ""}: use the arrow keys to choose one, or press Enter for an answer.` : "No passages match.",
      );
    }

    show(results) {
      this.results = results;
      this.list.replaceChildren(
        ...results.map((r, i) =>
          h(
            "li",
            { id: "o" + i, role: "option", "aria-selected": "false", "data-i": i },
            h("span", { class: "t" }, r.title),
            h("span", { class: "k" }, this.kind(r.kind)),
            h("span", null, ...marked(r.text, r.highlights, 160)),
          ),
        ),
      );
      this.move(-1);
      this.list.hidden = !results.length;
      this.input.setAttribute("aria-expanded", String(!!results.length));
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.move(-1);
    }

    move(i) {
      const options = this.list.children;
      if (options[this.active]) options[this.active].setAttribute("aria-selected", "false");
      this.active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        options[i].scrollIntoView({ block: "nearest" });
        this.input.setAttribute("aria-activedescendant", options[i].id);
      } else {
        this.input.removeAttribute("aria-activedescendant");
      }
    }

    key(e) {
      const n = this.results.length;
      const open = !this.list.hidden;
      if (e.key === "ArrowDown" && n) {
        e.preventDefault();
        if (!open) {
          this.list.hidden = false;
          this.input.setAttribute("aria-expanded", "true");
        }
        this.move(Math.min(this.active + 1, n - 1));
      } else if (e.key === "ArrowUp" && open) {
        e.preventDefault();
        this.move(this.active - 1);
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (open && this.active >= 0) this.pick(this.active);
        else this.ask();
      } else if (e.key === "Escape") {
        if (open) {
          e.preventDefault();
          this.close();
        } else if (this.input.value) {
          e.preventDefault();
          this.input.value = "";
          this.typed();
        }
      }
    }

    passage(c, size) {
      const src = safe(c.source_url);
      const pid = c.passage_id.split("/").map(encodeURIComponent).join("/");
      return [
        h("p", null, src ? h("a", { href: src, rel: "noopener", target: "_blank" }, c.title) : c.title, c.page != null ? " (p. " + c.page + ")" : ""),
        h("p", { class: "k" }, this.kind(c.kind)),
        h("p", null, ...marked(c.text, c.highlights, size)),
        h("p", { class: "k" }, h("a", { href: this.endpoint + "/id/passage/" + pid, target: "_blank" }, "This passage in the knowledge graph")),
      ];
    }

    pick(i) {
      const r = this.results[i];
      if (!r) return;
      this.close();
      this.answer.replaceChildren(...this.passage(r, 0));
      this.say("Showing the passage from " + r.title + ".");
    }

    async ask() {
      if (!this.query) return;
      clearTimeout(this.timer);
      this.close();
      this.say("Looking for an answer…");
      const data = await this.get("/ask");
      if (!data) return;
      const list = h("ol");
      for (const c of data.citations) list.append(h("li", { id: "c" + c.n }, ...this.passage(c, 280)));
      const near = data.nearest || [];
      if (near.length) {
        // Declined: the closest passages, labelled so they are not taken for an answer.
        list.append(h("li", { class: "k", part: "nearest" }, "Nearest passages (they do not answer it closely enough to cite):"));
        for (const c of near) list.append(h("li", null, ...this.passage(c, 200)));
      }
      const notes = (data.regime_notes || []).map((n) => h("p", { class: "note", part: "note" }, n.text));
      const fixed = (data.corrections || []).map((c) => `“${c.searched}” for “${c.typed}”`);
      if (fixed.length) notes.unshift(h("p", { class: "k", part: "spelling" }, "Searched for " + fixed.join(", ") + "."));
      this.answer.replaceChildren(h("p", null, data.answer.text), ...notes, list);
      const n = data.citations.length;
      this.say(data.answer.supported ? `Answer ready, with ${n} source${n === 1 ? "" : "s"}.` : data.answer.status === "not_known" ? "The sources say this is not known." : `No answer found in the sources${near.length ? "; nearest passages listed" : ""}.`);
    }
  }

  customElements.define("kg-search", KgSearch);
})();
