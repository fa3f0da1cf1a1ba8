"""GET /graph/neighbourhood: an entity and the entities around it, for the diagram.

From a council the walk goes council → partnership → partners and route, route → legal basis and
successor route (p2p:replacedBy), partnership → correctives; from a route or a provision it goes
the other way. It follows only the predicates below, nearest and most telling first, and stops at
``limit`` nodes, so a diagram stays readable. Passages and documents (as the starting node only)
add what they mention or are about.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from kg.namespaces import P2P, compact, expand
from kg.sparql import select_rows
from kg.vocabulary import EDGE_LABELS

from ..deps import ServiceDep, SettingsDep
from ..iris import require_entity, well_formed
from ..openapi import IRI_PATTERN, errors
from ..schemas import Neighbourhood

router = APIRouter(tags=["linked data"])

MAX_DEPTH = 3
PART_OF = "part of"
# Followed from the starting node only: what a passage or document is about, and what
# illustrates a principle or is part of an act (these fan out too far to follow further).
# predicate (prefixed name) → (edge label, cost of the step, direction from the start)
START_ONLY = {
    "dcterms:isPartOf": (PART_OF, 1.0, "out"),
    "p2p:about": ("about", 1.0, "out"),
    "p2p:mentions": ("mentions", 1.5, "out"),
    "p2p:illustratesPrinciple": (EDGE_LABELS[P2P.illustratesPrinciple], 1.0, "in"),
    "eli:is_part_of": (PART_OF, 1.0, "in"),
}
# predicate (prefixed name) → (edge label, cost of the step, followed against its direction?).
# The reference predicates the vocabulary labels for diagrams are followed both ways at cost 1;
# the others are listed here.
EDGES = {
    **{
        compact(p): (label, 1.0, True)
        for p, label in EDGE_LABELS.items()
        if compact(p) not in START_ONLY
    },
    "p2p:replacedBy": ("replaced by", 1.0, True),
    "p2p:upperTier": ("upper tier", 1.0, True),
    "p2p:partner": ("partner", 1.5, True),
    "org:hasMember": ("member", 1.5, True),
    "skos:broader": ("broader", 1.5, True),
    "eli:is_part_of": (PART_OF, 2.0, False),
}
LABEL_PREDICATES = ("skos:prefLabel", "rdfs:label", "dcterms:title", "schema:name")


def _check_iri(iri: str, id_base: str) -> str:
    iri = iri.strip()
    if not iri.startswith(id_base):
        raise HTTPException(404, f"no entity {iri} here: entity IRIs start with {id_base}")
    if not well_formed(iri):
        raise HTTPException(422, "iri: not a valid IRI (spaces, quotes or angle brackets)")
    return iri


def _triples(store, iri: str, id_base: str) -> list[tuple[str, str, str]]:
    """Every edge of the followed predicates between entities under the base, plus the
    starting node's own extra edges."""
    local = f'FILTER(STRSTARTS(STR(?s), "{id_base}") && STRSTARTS(STR(?o), "{id_base}"))'
    values = " ".join(EDGES)
    rows = select_rows(
        store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o . {local} }}"
    )
    outs = " ".join(p for p, (_, _, d) in START_ONLY.items() if d == "out")
    ins = " ".join(p for p, (_, _, d) in START_ONLY.items() if d == "in")
    rows += select_rows(
        store,
        f"""SELECT ?s ?p ?o WHERE {{
          {{ VALUES ?p {{ {outs} }} BIND(<{iri}> AS ?s) ?s ?p ?o }}
          UNION {{ VALUES ?p {{ {ins} }} BIND(<{iri}> AS ?o) ?s ?p ?o }}
          {local} }}""",
    )
    return sorted({(r["s"], r["p"], r["o"]) for r in rows})


def _walk(start: str, triples, limit: int) -> tuple[dict[str, int], bool]:
    """Best-first from the start: the cheapest nodes within MAX_DEPTH steps, up to ``limit``."""
    specs = {expand(p): spec for p, spec in EDGES.items()}
    start_specs = {expand(p): spec for p, spec in START_ONLY.items()}
    steps: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for s, p, o in triples:
        if s == start and p in start_specs and start_specs[p][2] == "out":
            steps[s].append((start_specs[p][1], o))
        elif o == start and p in start_specs and start_specs[p][2] == "in":
            steps[o].append((start_specs[p][1], s))
        if p in specs:
            _, cost, backwards = specs[p]
            steps[s].append((cost, o))
            if backwards:
                steps[o].append((cost, s))
    depth: dict[str, int] = {}
    queue = [(0.0, 0, start, 0)]
    seen_order = 1
    reachable = {start}
    while queue and len(depth) < limit:
        cost, _, node, d = heapq.heappop(queue)
        if node in depth:
            continue
        depth[node] = d
        if d == MAX_DEPTH:
            continue
        for step, other in sorted(steps[node]):
            if other not in depth:
                reachable.add(other)
                heapq.heappush(queue, (cost + step, seen_order, other, d + 1))
                seen_order += 1
    truncated = any(n not in depth for n in reachable)
    return depth, truncated


def _labels(store, iris: list[str]) -> dict[str, str]:
    values = " ".join(f"<{i}>" for i in iris)
    preds = " ".join(LABEL_PREDICATES)
    rows = select_rows(
        store,
        f"SELECT ?n ?p ?l WHERE {{ VALUES ?n {{ {values} }} VALUES ?p {{ {preds} }} ?n ?p ?l }}",
    )
    rank = {expand(p): i for i, p in enumerate(LABEL_PREDICATES)}
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        key = (rank[r["p"]], r["l"])
        if r["n"] not in best or key < best[r["n"]]:
            best[r["n"]] = key
    return {iri: label for iri, (_, label) in best.items()}


def _type(iri: str, id_base: str, records) -> str:
    record = records.get(iri)
    if record is not None:
        return record.type
    kind = iri[len(id_base) :].split("/", 1)[0]
    return "legislation" if kind == "eli" else kind


@router.get(
    "/graph/neighbourhood",
    response_model=Neighbourhood,
    summary="An entity's neighbourhood (nodes and edges) for a diagram",
    responses=errors(404, 422),
)
def neighbourhood(
    service: ServiceDep,
    settings: SettingsDep,
    iri: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            pattern=IRI_PATTERN,
            description="An entity IRI (under the service's base, /id/...)",
            json_schema_extra={"format": "iri"},
        ),
    ],
    limit: Annotated[int, Query(ge=2, le=40, description="Most nodes to return")] = 15,
) -> dict:
    id_base = settings.id_base
    iri = _check_iri(iri, id_base)
    snap = service.snapshot()
    store = snap.store
    require_entity(snap, iri)
    triples = _triples(store, iri, id_base)
    depth, truncated = _walk(iri, triples, limit)
    labels = _labels(store, list(depth))
    # Every triple fetched either uses a followed predicate or touches the starting node.
    names = {expand(p): label for p, (label, _, _) in {**START_ONLY, **EDGES}.items()}
    member = expand("org:hasMember")
    kept = [(s, p, o) for s, p, o in triples if s in depth and o in depth]
    # org:hasMember repeats p2p:council and p2p:partner; draw it only where nothing else does.
    pairs = {(s, o) for s, p, o in kept if p != member}
    edges = [
        {"source": s, "target": o, "label": names[p], "predicate": p}
        for s, p, o in kept
        if p != member or (s, o) not in pairs
    ]
    nodes = [
        {
            "iri": n,
            "label": labels.get(n) or n.rsplit("/", 1)[-1],
            "type": _type(n, id_base, snap.entities.records),
            "href": "/id/" + n[len(id_base) :],
            "depth": d,
        }
        for n, d in depth.items()
    ]
    return {
        "iri": iri,
        "nodes": nodes,
        "edges": edges,
        "truncated": truncated,
        "build": snap.build_id,
    }
