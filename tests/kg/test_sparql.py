import json

import pytest

from kg.sparql import SparqlError, execute, is_update, negotiate


@pytest.fixture(scope="module")
def store(service):
    return service.snapshot().store


def _select(store, query: str) -> list[dict]:
    body = json.loads(execute(store, query).body)
    return body["results"]["bindings"]


def test_counts_councils_and_case_studies(store):
    rows = _select(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a p2p:Council }")
    assert int(rows[0]["n"]["value"]) >= 5
    rows = _select(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a p2p:CaseStudy }")
    assert int(rows[0]["n"]["value"]) >= 4


def test_partnership_facts_carry_their_source_passage(store):
    rows = _select(
        store,
        """
        SELECT ?route ?passage WHERE {
          ?ps p2p:council <https://w3id.org/p2p-kg/id/council/oldham> ; p2p:route ?route .
          ?f rdf:subject ?ps ; rdf:predicate p2p:route ; rdf:object ?route ;
             prov:wasDerivedFrom ?passage .
        }""",
    )
    assert {r["route"]["value"].rsplit("/", 1)[-1] for r in rows} == {"innovation-partnership"}
    assert all("/passage/case-oldham-social-prescribing/" in r["passage"]["value"] for r in rows)


def test_malformed_query_reports_position(store):
    with pytest.raises(SparqlError) as err:
        execute(store, "SELECT ?x WHERE { ?x a }")
    assert err.value.status == 400
    assert "1:" in str(err.value)


def test_updates_are_refused(store):
    assert is_update("PREFIX a: <http://a/>\n# c\nINSERT DATA { a:x a:y a:z }")
    assert not is_update("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    with pytest.raises(SparqlError) as err:
        execute(store, "DELETE WHERE { ?s ?p ?o }")
    assert err.value.status == 403


def test_construct_is_turtle_and_unservable_formats_are_406(store):
    result = execute(store, "CONSTRUCT { ?c a p2p:Council } WHERE { ?c a p2p:Council }")
    assert result.media_type == "text/turtle" and b"Council" in result.body
    assert negotiate("select", "text/csv;q=0.9, application/json;q=0.1", None) == "text/csv"
    with pytest.raises(SparqlError) as err:
        negotiate("select", "image/png", None)
    assert err.value.status == 406


def test_row_cap_is_enforced(store):
    with pytest.raises(SparqlError) as err:
        execute(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert err.value.status == 413


def test_semantic_similarity_inside_sparql(service, corpus_settings):
    from kg.similarity import PassageVectors, texts_in

    query = """SELECT ?id ?score WHERE {
      ?p a p2p:Passage ; dcterms:identifier ?id .
      BIND(kgfn:similarity(?p, "handing a community building over to a local group") AS ?score)
    } ORDER BY DESC(?score) LIMIT 3"""
    texts = texts_in(query)
    assert texts == ["handing a community building over to a local group"]
    snap = service.snapshot()
    vectors = {t: service.encoder.encode_query(t) for t in texts}
    functions = PassageVectors.from_build(snap.build.path, corpus_settings.id_base).functions(
        vectors
    )
    rows = json.loads(execute(snap.store, query, custom_functions=functions).body)
    bindings = rows["results"]["bindings"]
    assert len(bindings) == 3
    # The nearest passages are about community groups taking on buildings and services.
    top = [b["id"]["value"].split("/")[0] for b in bindings]
    assert set(top) <= {
        "guide-community-asset-transfer",
        "reg-assets-of-community-value",
        "reg-community-right-to-challenge",
    }, top
    scores = [float(b["score"]["value"]) for b in bindings]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


def test_the_readme_similarity_example_returns_what_it_shows(service, corpus_settings):
    """The README's kgfn:similarity query, run as printed, gives the passages it prints:
    the asset-transfer guidance, joined to the route its document is about."""
    import re

    from kg.config import PROJECT_ROOT
    from kg.similarity import PassageVectors, texts_in

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    query, shown = re.search(
        r"```sparql\n(.*?kgfn:similarity.*?)```\s*```console\n(.*?)```", readme, re.S
    ).groups()
    shown_rows = [line.split("\t") for line in shown.strip().splitlines()[1:]]
    snap = service.snapshot()
    vectors = {t: service.encoder.encode_query(t) for t in texts_in(query)}
    functions = PassageVectors.from_build(snap.build.path, corpus_settings.id_base).functions(
        vectors
    )
    rows = json.loads(execute(snap.store, query, custom_functions=functions).body)
    got = [
        (b["id"]["value"], b["route"]["value"], float(b["score"]["value"]))
        for b in rows["results"]["bindings"]
    ]
    assert [(i, r) for i, r, _ in got] == [
        (i.strip('"'), r.split('"')[1]) for i, r, _ in shown_rows
    ], got
    for (_, _, score), (_, _, printed) in zip(got, shown_rows, strict=True):
        assert repr(score).startswith(printed.strip('"').rstrip(".")), (score, printed)


def test_unknown_function_is_a_clear_400(store):
    with pytest.raises(SparqlError) as err:
        execute(store, 'SELECT ?s WHERE { ?s ?p ?o . FILTER(kgfn:similarity(?s, "x") > 0) }')
    assert err.value.status == 400
