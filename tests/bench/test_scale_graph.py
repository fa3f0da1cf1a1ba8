"""The synthetic graph generator: deterministic, valid N-Triples, the real graph's shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from bench import scale_graph

PREFIXES = {
    "p2p": "https://w3id.org/p2p-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
}
UNITS = 2


def _load(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, cls: str) -> int:
    rows = store.query(f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a {cls} }}", prefixes=PREFIXES)
    return int(next(iter(rows))["n"].value)


def _ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(query, prefixes=PREFIXES))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = scale_graph.write_scaled(tmp_path / "a.nt", UNITS, seed=7)
    b = scale_graph.write_scaled(tmp_path / "b.nt", UNITS, seed=7)
    c = scale_graph.write_scaled(tmp_path / "c.nt", UNITS, seed=8)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()
    assert "".join(scale_graph.generate(UNITS, seed=7)) == a.path.read_text(encoding="utf-8")


def test_valid_ntriples_with_the_real_graphs_classes(tmp_path):
    scaled = scale_graph.write_scaled(tmp_path / "graph.nt", UNITS, seed=0)
    lines = scaled.path.read_text(encoding="utf-8").splitlines()
    triples = list(ox.parse(path=str(scaled.path), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(lines) == scaled.triples  # one triple a line
    store = _load(scaled.path)
    assert len(store) == len(lines)  # no duplicates
    for cls, expected in {
        "p2p:Council": scale_graph.COUNCILS_PER_UNIT * UNITS,
        "p2p:PartnerOrganisation": scale_graph.PARTNERS_PER_UNIT * UNITS,
        "p2p:SourceDocument": sum(k[1] for k in scale_graph.KINDS) * UNITS,
        "p2p:Passage": scale_graph.PASSAGES_PER_UNIT * UNITS,
        "p2p:Partnership": 6 * UNITS,
        "schema:Question": 5 * UNITS,
    }.items():
        assert _count(store, cls) == expected, cls
    for cls in ("p2p:Fact", "rdf:Statement", "p2p:ProcurementRoute", "p2p:LegalProvision"):
        assert _count(store, cls) > 0, cls
    # Every reified fact restates an asserted triple and names a passage it came from.
    assert not _ask(
        store,
        "ASK { ?f a p2p:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
        "prov:wasDerivedFrom ?e . FILTER NOT EXISTS { ?s ?p ?o . ?e a p2p:Passage } }",
    )
    # The shapes the benchmark queries walk: route/legalBasis, broader chains, text.
    assert _ask(store, "ASK { ?ps a p2p:Partnership ; p2p:route/p2p:legalBasis ?basis }")
    assert _ask(store, "ASK { ?c skos:broader/skos:broader ?top }")
    assert _ask(store, "ASK { ?p a p2p:Passage ; p2p:text ?t FILTER(STRLEN(?t) > 100) }")


def test_a_base_graph_comes_first_and_lends_its_vocabulary(tmp_path):
    base = scale_graph.write_scaled(tmp_path / "base.nt", 1, seed=1)
    scaled = scale_graph.write_scaled(tmp_path / "scaled.nt", 3, seed=0, base=base.path)
    base_text = base.path.read_text(encoding="utf-8")
    assert scaled.path.read_text(encoding="utf-8").startswith(base_text)
    assert scaled.base_triples == base.triples and scaled.triples >= 3 * base.triples
    store = _load(scaled.path)
    assert _count(store, "p2p:ProcurementRoute") == _count(_load(base.path), "p2p:ProcurementRoute")
    assert _count(store, "p2p:Partnership") == 6 * (1 + scaled.units)
