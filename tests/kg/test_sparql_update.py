"""SPARQL Update rewrites: the Protocol's dataset parameters, and the remote store's dataset.

``onto_graph`` is checked against Oxigraph itself: an update applied to a dataset whose default
graph holds some triples must leave exactly what the rewritten update leaves in a store where
those triples sit in one named graph beside graphs the service does not show.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.sparql import SparqlError
from kg.sparql_update import check_allowed, onto_graph, tokenize, with_protocol_dataset

EX = "http://example.org/"
BUILD = "https://w3id.org/p2p-kg/id/graph/build/b1"
HIDDEN = "urn:p2p-kg:meta"
NOTES = f"{EX}notes"
DEFAULT_DATA = (
    f"<{EX}a> <{EX}p> <{EX}b> . <{EX}b> <{EX}p> <{EX}c> . <{EX}a> <{EX}name> 'a {{ WHERE }}' ."
)
NOTES_DATA = f"<{EX}a> <{EX}q> 1 ."

UPDATES = [
    f"INSERT DATA {{ <{EX}x> <{EX}p> <{EX}y> }}",
    f"INSERT DATA {{ <{EX}x> <{EX}p> 1 . GRAPH <{NOTES}> {{ <{EX}x> <{EX}q> 2 }} <{EX}x> <{EX}p> 3 }}",
    f"DELETE DATA {{ <{EX}a> <{EX}p> <{EX}b> }}",
    f"PREFIX ex: <{EX}>\nDELETE WHERE {{ ?s ex:p ex:c }}",
    f"INSERT {{ ?s <{EX}two> ?o }} WHERE {{ ?s <{EX}p>/<{EX}p> ?o }}",
    f"INSERT {{ GRAPH <{EX}copy> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    f"DELETE {{ ?s <{EX}p> ?o }} INSERT {{ ?o <{EX}back> ?s }} WHERE {{ ?s <{EX}p> ?o FILTER(?o != <{EX}zz>) }}",
    f"WITH <{NOTES}> INSERT {{ ?s <{EX}r> 9 }} WHERE {{ ?s ?p ?o }}",
    "# a comment with WHERE { and DEFAULT\nCLEAR DEFAULT",
    "CLEAR NAMED",
    "DROP ALL",
    "CLEAR SILENT ALL ; INSERT DATA { <http://example.org/n> <http://example.org/p> 0 }",
    f"COPY DEFAULT TO GRAPH <{EX}backup>",
    f"ADD <{NOTES}> TO DEFAULT",
    f"MOVE DEFAULT TO <{EX}moved>",
    f"INSERT {{ ?s <{EX}n> 1 }} USING <{NOTES}> WHERE {{ ?s ?p ?o }}",
]


def _dataset(store: ox.Store, default: ox.NamedNode | ox.DefaultGraph, hidden: set[str]):
    """The dataset as the service shows it: {graph name or None: set of triples}."""
    out: dict[str | None, set] = {}
    for q in store:
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in hidden:
            continue
        key = None if q.graph_name == default else q.graph_name.value
        out.setdefault(key, set()).add(ox.Triple(q.subject, q.predicate, q.object))
    return out


@pytest.mark.parametrize("update", UPDATES)
def test_an_update_onto_the_build_graph_changes_what_it_changes_on_the_embedded_store(update):
    embedded = ox.Store()
    embedded.update(f"INSERT DATA {{ {DEFAULT_DATA} GRAPH <{NOTES}> {{ {NOTES_DATA} }} }}")
    remote = ox.Store()
    remote.update(
        f"INSERT DATA {{ GRAPH <{BUILD}> {{ {DEFAULT_DATA} }} GRAPH <{NOTES}> {{ {NOTES_DATA} }} "
        f"GRAPH <{HIDDEN}> {{ <{EX}current> <{EX}is> <{BUILD}> }} }}"
    )
    shown = sorted(g.value for g in remote.named_graphs() if g.value not in (BUILD, HIDDEN))
    embedded.update(update)
    remote.update(onto_graph(update, BUILD, shown))
    assert _dataset(remote, ox.NamedNode(BUILD), {HIDDEN}) == _dataset(
        embedded, ox.DefaultGraph(), set()
    )
    hidden = list(remote.quads_for_pattern(None, None, None, ox.NamedNode(HIDDEN)))
    assert len(hidden) == 1  # the graphs the service does not show are never touched


def test_protocol_using_graphs_become_using_clauses():
    update = f"DELETE WHERE {{ ?s <{EX}p> ?o }} ; INSERT {{ ?s <{EX}q> 1 }} WHERE {{ ?s ?p ?o }}"
    rewritten = with_protocol_dataset(update, [NOTES], [f"{EX}n"])
    store = ox.Store()
    store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 . GRAPH <{NOTES}> {{ <{EX}b> <{EX}p> 2 }} }}")
    store.update(rewritten)
    # Both operations read only <notes>: nothing there matched the default graph's triple.
    assert set(store.quads_for_pattern(None, ox.NamedNode(f"{EX}p"), None, ox.DefaultGraph()))
    assert rewritten.count(f"USING <{NOTES}>") == 2 and rewritten.count("USING NAMED") == 2


def test_an_update_without_protocol_graphs_is_left_as_it_is():
    assert with_protocol_dataset("CLEAR ALL", [], []) == "CLEAR ALL"


@pytest.mark.parametrize("clause", ["WITH <http://example/g>", "USING <http://example/g>"])
def test_protocol_graphs_with_using_or_with_in_the_update_are_a_conflict(clause):
    if clause.startswith("WITH"):
        update = f"{clause} DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    else:
        update = f"DELETE {{ ?s ?p ?o }} {clause} WHERE {{ ?s ?p ?o }}"
    with pytest.raises(SparqlError) as err:
        with_protocol_dataset(update, [], [NOTES])
    assert err.value.status == 400


def test_keywords_inside_strings_iris_and_comments_are_not_keywords():
    text = 'INSERT DATA { <http://x/WITH> <http://x/p> "USING LOAD" } # LOAD USING\n'
    assert [t.text for t in tokenize(text) if t.kind == "word"] == ["INSERT", "DATA"]
    check_allowed(text)  # no LOAD here
    assert with_protocol_dataset(text, [NOTES], []) == text


def test_load_is_refused():
    with pytest.raises(SparqlError) as err:
        check_allowed("load <http://127.0.0.1/x.ttl> INTO GRAPH <http://x/g>")
    assert "fetches no URLs" in str(err.value)
