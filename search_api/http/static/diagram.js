// The neighbourhood diagram: an entity and what it links to, from /graph/neighbourhood, drawn
// as inline SVG in columns by distance (council → partnership → route → legal basis → ...).
// Every box is a link to the entity's page. Labels are text nodes, never markup.
import { typeLabel, typeRank, vocabulary } from "./vocabulary.js";

const NS = "http://www.w3.org/2000/svg";
const W = 200; // box width
const H = 56; // box height: two lines of label and one of type
const GAP_X = 100;
const GAP_Y = 10;
const PAD = 10;
const LINE = 23; // characters per label line
let drawn = 0;

export function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const typeOf = (node) => typeLabel(node.type);

// A label in at most two lines of LINE characters, broken between words.
function lines(label) {
  const out = [];
  let line = "";
  for (const word of label.split(/\s+/)) {
    if (line && (line + " " + word).length > LINE) {
      out.push(line);
      line = word;
    } else {
      line = line ? line + " " + word : word;
    }
  }
  out.push(line);
  const fit = (t) => (t.length > LINE ? t.slice(0, LINE - 1).trimEnd() + "…" : t);
  return out.length <= 2 ? out.map(fit) : [fit(out[0]), fit(out.slice(1).join(" "))];
}

// Columns by depth; within a column, nodes sit next to the nodes they link to on the left.
function layout(data) {
  const cols = [];
  for (const n of data.nodes) (cols[n.depth] = cols[n.depth] || []).push(n);
  const pos = new Map();
  const links = new Map(data.nodes.map((n) => [n.iri, []]));
  for (const e of data.edges) {
    links.get(e.source).push(e.target);
    links.get(e.target).push(e.source);
  }
  const rows = Math.max(...cols.map((c) => (c ? c.length : 0)));
  const height = rows * (H + GAP_Y) - GAP_Y + 2 * PAD;
  cols.forEach((col, d) => {
    if (!col) return;
    const rank = (n) => {
      const left = links.get(n.iri).filter((o) => pos.has(o)).map((o) => pos.get(o).y);
      return left.length ? Math.min(...left) : 0;
    };
    const ranked = col.map((n) => [rank(n), typeRank(n.type), n.label, n]);
    ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
    const top = (height - (col.length * (H + GAP_Y) - GAP_Y)) / 2;
    ranked.forEach(([, , , n], i) => pos.set(n.iri, { x: PAD + d * (W + GAP_X), y: top + i * (H + GAP_Y), d }));
  });
  return { pos, width: cols.length * (W + GAP_X) - GAP_X + 2 * PAD, height };
}

// The path from box a to box b, and where its label goes: beside the box in the later column
// (or at the bend of a loop between two boxes of one column).
function edgePath(a, b) {
  const ya = a.y + H / 2;
  const yb = b.y + H / 2;
  if (a.d === b.d) {
    const x = a.x + W;
    const bend = x + GAP_X * 0.45;
    return [`M${x},${ya} C${bend},${ya} ${bend},${yb} ${x + 6},${yb}`, bend - 6, (ya + yb) / 2 + 4, "start"];
  }
  const forward = a.d < b.d;
  const xa = forward ? a.x + W : a.x;
  const xb = forward ? b.x - 6 : b.x + W + 6; // room for the arrowhead
  const mid = (xa + xb) / 2;
  const [lx, ly] = forward ? [b.x - 8, yb - 6] : [a.x - 8, ya - 6];
  return [`M${xa},${ya} C${mid},${ya} ${mid},${yb} ${xb},${yb}`, lx, ly, "end"];
}

export function draw(data) {
  const id = "kg-diagram-" + ++drawn;
  const { pos, width, height } = layout(data);
  const byIri = new Map(data.nodes.map((n) => [n.iri, n]));
  const centre = byIri.get(data.iri);
  const title = `How ${centre.label} connects in the knowledge graph`;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "group",
    "aria-label": `${title}: ${data.nodes.length - 1} linked entities`,
    class: "graph",
  });
  root.appendChild(svg("title", {}, title));
  const marker = svg("marker", { id: id + "-arrow", viewBox: "0 0 10 10", refX: 1, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
  marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }));
  root.appendChild(svg("defs")).appendChild(marker);
  const edges = svg("g", { class: "edges", "aria-hidden": "true" });
  const labelled = new Set();
  for (const e of data.edges) {
    const [d, lx, ly, anchor] = edgePath(pos.get(e.source), pos.get(e.target));
    const path = svg("path", { d, class: "edge", "marker-end": `url(#${id}-arrow)` });
    path.appendChild(svg("title", {}, `${byIri.get(e.source).label} — ${e.label} → ${byIri.get(e.target).label}`));
    edges.appendChild(path);
    const key = `${lx},${ly},${e.label}`; // one label where several edges meet one box
    if (!labelled.has(key)) {
      labelled.add(key);
      edges.appendChild(svg("text", { x: lx, y: ly, class: "edge-label", "text-anchor": anchor }, e.label));
    }
  }
  root.appendChild(edges);
  for (const n of data.nodes) {
    const p = pos.get(n.iri);
    const link = svg("a", {
      href: n.href,
      class: `node type-${n.type}${n.iri === data.iri ? " centre" : ""}`,
      "aria-label": `${n.label} (${typeOf(n)})`,
    });
    link.appendChild(svg("title", {}, `${n.label} (${typeOf(n)})`));
    link.appendChild(svg("rect", { x: p.x, y: p.y, width: W, height: H, rx: 6 }));
    const label = lines(n.label);
    label.forEach((text, i) => {
      const y = p.y + (label.length === 1 ? 25 : 19 + i * 16);
      link.appendChild(svg("text", { x: p.x + 10, y, class: "node-label" }, text));
    });
    link.appendChild(svg("text", { x: p.x + 10, y: p.y + H - 8, class: "node-type" }, typeOf(n)));
    root.appendChild(link);
  }
  const figure = el("figure", undefined, "diagram-figure");
  figure.id = id;
  const scroll = el("div", undefined, "diagram-scroll");
  scroll.appendChild(root);
  figure.appendChild(scroll);
  const more = data.truncated ? " The nearest entities are shown; open a box for more." : "";
  figure.appendChild(el("figcaption", `${title}. Each box opens that entity's page.${more}`));
  // The same facts as a list, for anyone who cannot see the drawing.
  const details = el("details");
  details.appendChild(el("summary", "The diagram as a list"));
  const list = el("ul");
  for (const e of data.edges) {
    list.appendChild(el("li", `${byIri.get(e.source).label} — ${e.label} → ${byIri.get(e.target).label}`));
  }
  details.appendChild(list);
  figure.appendChild(details);
  return figure;
}

// Fetches the neighbourhood of `iri` and draws it into `container` (or says why it cannot).
export async function showNeighbourhood(container, iri) {
  try {
    const response = await fetch("/graph/neighbourhood?" + new URLSearchParams({ iri }));
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    await vocabulary;
    container.replaceChildren(
      data.nodes.length > 1 ? draw(data) : el("p", "Nothing else in the graph links to it.", "meta"),
    );
  } catch (err) {
    container.replaceChildren(el("p", "The diagram could not be loaded.", "meta"));
  }
}
