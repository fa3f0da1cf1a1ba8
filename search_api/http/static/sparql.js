// The query page: example queries from /sparql/examples, results rendered as text only.
"use strict";
(function () {
  const form = document.getElementById("sparql-form");
  const query = document.getElementById("query");
  const accept = document.getElementById("accept");
  const picker = document.getElementById("example");
  const about = document.getElementById("example-description");
  const out = document.getElementById("results");
  let examples = [];

  function el(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function table(data) {
    if (typeof data.boolean === "boolean") return el("p", "Answer: " + data.boolean);
    const vars = data.head.vars;
    const t = el("table");
    const head = el("tr");
    for (const v of vars) head.appendChild(el("th", v));
    t.appendChild(head);
    for (const row of data.results.bindings) {
      const tr = el("tr");
      for (const v of vars) {
        const cell = el("td");
        const b = row[v];
        if (b && b.type === "uri") {
          const a = el("a", b.value);
          const local = b.value.indexOf("/id/");
          a.href = local >= 0 && b.value.startsWith(location.origin) ? b.value : b.value;
          cell.appendChild(a);
        } else if (b) {
          cell.textContent = b.value;
        }
        tr.appendChild(cell);
      }
      t.appendChild(tr);
    }
    const wrap = el("div");
    wrap.appendChild(el("p", data.results.bindings.length + " rows"));
    wrap.appendChild(t);
    return wrap;
  }

  async function run() {
    out.replaceChildren(el("p", "Running…"));
    const body = new URLSearchParams({ query: query.value });
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept.value },
        body,
      });
      const type = response.headers.get("content-type") || "";
      if (!response.ok) {
        const err = await response.json();
        out.replaceChildren(el("p", "Error " + response.status + ": " + err.detail));
      } else if (type.includes("sparql-results+json")) {
        out.replaceChildren(table(await response.json()));
      } else {
        out.replaceChildren(el("pre", await response.text()));
      }
    } catch (e) {
      out.replaceChildren(el("p", "The endpoint could not be reached."));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  picker.addEventListener("change", () => {
    const ex = examples.find((e) => e.name === picker.value);
    if (ex) {
      query.value = ex.query;
      about.textContent = ex.description;
    }
  });
  fetch("/sparql/examples").then((r) => r.json()).then((list) => {
    examples = list;
    for (const ex of list) {
      const option = el("option", ex.title);
      option.value = ex.name;
      picker.appendChild(option);
    }
  });
})();
