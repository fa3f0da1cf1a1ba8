// The query page: YASGUI over this endpoint, with the service's predeclared prefixes declared in
// every query it loads (so the editor knows them) and the example queries of /sparql/examples.
"use strict";
(function () {
  const picker = document.getElementById("example");
  const about = document.getElementById("example-description");
  const endpoint = new URL("/sparql", window.location.href).href;
  const START = [
    "SELECT ?council ?gss WHERE {",
    "  ?c a p2p:Council ; skos:prefLabel ?council .",
    "  OPTIONAL { ?c p2p:gssCode ?gss }",
    "} ORDER BY ?council",
  ].join("\n");

  // PREFIX lines for the predeclared prefixes a query uses without declaring them.
  function declared(query, prefixes) {
    const own = new Set(
      Array.from(query.matchAll(/PREFIX\s+([\w.-]*):/gi), (m) => m[1].toLowerCase())
    );
    const lines = Object.entries(prefixes)
      .filter(([name]) => !own.has(name.toLowerCase()))
      .filter(([name]) => new RegExp("(^|[^\\w.-])" + name + ":", "m").test(query))
      .map(([name, iri]) => "PREFIX " + name + ": <" + iri + ">");
    return lines.length ? lines.join("\n") + "\n" + query : query;
  }

  function start(prefixes, examples) {
    const Yasgui = window.Yasgui.default || window.Yasgui;
    const Yasqe = Yasgui.Yasqe;
    // The service's prefixes replace the stock ones; no autocompleter that asks other sites.
    Yasqe.defaults.value = declared(START, prefixes);
    Yasqe.defaults.autocompleters = ["variables"];
    Yasgui.Yasr.defaults.prefixes = prefixes;
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint },
      copyEndpointOnNewTab: true,
      persistenceId: "p2p-kg-sparql",
    });
    for (const ex of examples) {
      const option = document.createElement("option");
      option.textContent = ex.title;
      option.value = ex.name;
      picker.appendChild(option);
    }
    picker.addEventListener("change", () => {
      const ex = examples.find((e) => e.name === picker.value);
      if (!ex) return;
      yasgui.getTab().getYasqe().setValue(declared(ex.query, prefixes));
      about.textContent = ex.description;
    });
    window.kgYasgui = yasgui;
  }

  Promise.all([
    fetch("/sparql/prefixes").then((r) => r.json()),
    fetch("/sparql/examples").then((r) => r.json()),
  ]).then(([prefixes, examples]) => start(prefixes, examples));
})();
