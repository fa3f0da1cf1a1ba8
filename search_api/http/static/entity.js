// An entity's Linked Data page: draws its neighbourhood diagram into each element that names an
// IRI in data-iri (the page itself carries no inline script).
import { showNeighbourhood } from "./diagram.js";

for (const box of document.querySelectorAll(".diagram[data-iri]")) {
  showNeighbourhood(box, box.dataset.iri);
}
