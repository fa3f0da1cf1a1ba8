"""A synthetic, seeded graph with the real graph's shapes, for benchmarking SPARQL at scale.

One *unit* mints what one ingest of the shipped corpus holds, with the shapes and predicates of
``ingest/triples.py``: 8 councils (one an upper tier, one without a GSS code), 13 partner
organisations, 52 source documents of the real mix of kinds with 262 passages, 6 case-study
partnerships whose facts are reified (``p2p:Fact`` / ``rdf:Statement`` with
``prov:wasDerivedFrom`` a passage), 5 FAQ questions and answers, and 7 local social value
imperatives under the national ones (``skos:broader`` chains, for property-path queries).

Units reference one reference vocabulary (procurement routes, legal provisions, regimes, the
toolkit's correctives, principles and imperatives). Given a base graph (a build's ``graph.nt``)
that vocabulary is the base's own and the base's triples come first, so queries written for the
real graph (by slug, by route, by provision) keep their meaning on the scaled one; without a base
a small built-in vocabulary of the same shapes is minted.

The output is N-Triples, one triple a line, no duplicates, the same bytes for the same seed.

Usage: ``python -m bench.scale_graph --base data/current/graph.nt --factor 100 --out DIR``
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

P2P = "https://w3id.org/p2p-kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SDO = "https://schema.org/"
ELI = "http://data.europa.eu/eli/ontology#"
SG = "http://statistics.data.gov.uk/id/statistical-geography/"
DEFAULT_ID = "https://w3id.org/p2p-kg/id/"
TYPE = RDF + "type"

# The real corpus's mix: kind -> (documents per unit, class of the document).
KINDS: list[tuple[str, int, str]] = [
    ("case_study", 6, "CaseStudy"),
    ("faq", 5, "FAQAnswer"),
    ("corrective", 5, "CorrectiveDescription"),
    ("guidance", 9, "GuidanceNote"),
    ("imperative", 2, "GuidanceNote"),
    ("principle", 1, "GuidanceNote"),
    ("regulation", 20, "RegulationGuidance"),
    ("organisation", 4, "OrganisationProfile"),
]
PASSAGES_PER_UNIT = 262
COUNCILS_PER_UNIT = 8
PARTNERS_PER_UNIT = 13
LOCAL_IMPERATIVES_PER_UNIT = 7

PLACES = [
    "Ashcombe", "Brackley", "Carrow", "Dunmere", "Eastleigh", "Fenwick", "Greystoke", "Harrowby",
    "Ilkton", "Jarrow Vale", "Kestle", "Longmoor", "Millbrook", "Northam", "Oakhurst", "Penrith",
    "Quarry Bank", "Redbrook", "Stanmore", "Thornbury", "Upton", "Westerby", "Yarrow", "Zeal",
]  # fmt: skip
ORG_WORDS = [
    "Community", "Neighbourhood", "Housing", "Wellbeing", "Youth", "Carers", "Recovery",
    "Food", "Arts", "Employment", "Learning", "Mental Health", "Older People's", "Family",
]  # fmt: skip
ORG_KINDS = ["Trust", "Co-operative", "CIC", "Association", "Network", "Alliance", "Foundation"]
SERVICE_AREAS = [
    "social prescribing", "homelessness and complex needs", "children's services",
    "adult social care", "community mental health", "youth services", "employment support",
    "food security", "domiciliary care", "early help",
]  # fmt: skip
FILLER = [
    "The toolkit asks commissioners to start from the outcomes a place needs.",
    "Purpose-aligned partners reinvest surpluses in the communities they serve.",
    "Quality was weighted at {pct} per cent of the evaluation.",
    "The council's cabinet approved the approach in {year}.",
    "Providers described the process as proportionate and collaborative.",
    "Evaluation found fewer hospital admissions and better reported wellbeing.",
    "The contract was let for {n} years with an option to extend.",
    "VCFSE organisations were involved from the design stage.",
    "Officers reported lower procurement costs than a conventional tender.",
    "The partnership board meets quarterly to review shared outcomes.",
]  # fmt: skip


@dataclass
class Vocabulary:
    """Reference entities the synthetic units point at: (IRI, label) pairs, sorted by IRI."""

    routes: list[tuple[str, str]] = field(default_factory=list)
    provisions: list[tuple[str, str]] = field(default_factory=list)
    regimes: list[tuple[str, str]] = field(default_factory=list)
    correctives: list[tuple[str, str]] = field(default_factory=list)
    principles: list[tuple[str, str]] = field(default_factory=list)
    imperatives: list[tuple[str, str]] = field(default_factory=list)
    imperative_scheme: str = ""

    def complete(self) -> bool:
        return all(
            (
                self.routes,
                self.provisions,
                self.regimes,
                self.correctives,
                self.principles,
                self.imperatives,
            )
        )


def vocabulary_from_graph(path: Path) -> Vocabulary:
    """The reference vocabulary of a build's graph (empty lists where the graph has none)."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

    def members(cls: str) -> list[tuple[str, str]]:
        rows = store.query(
            f"SELECT ?s (SAMPLE(STR(?l)) AS ?label) WHERE {{ ?s a <{P2P}{cls}> "
            f"OPTIONAL {{ ?s <{SKOS}prefLabel> ?l }} }} GROUP BY ?s ORDER BY ?s"
        )
        out = []
        for row in rows:
            label = row["label"].value if row["label"] is not None else row["s"].value
            out.append((row["s"].value, label))
        return out

    schemes = list(
        store.query(
            f"SELECT DISTINCT ?scheme WHERE {{ ?s a <{P2P}SocialValueImperative> ; "
            f"<{SKOS}inScheme> ?scheme }} ORDER BY ?scheme LIMIT 1"
        )
    )
    return Vocabulary(
        routes=members("ProcurementRoute"),
        provisions=members("LegalProvision"),
        regimes=members("Regime"),
        correctives=members("FundamentalCorrective"),
        principles=members("Principle"),
        imperatives=members("SocialValueImperative"),
        imperative_scheme=schemes[0]["scheme"].value if schemes else "",
    )


# --- N-Triples terms ------------------------------------------------------------------------


def iri(value: str) -> str:
    return f"<{value}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str) -> str:
    return f'"{_escape(text)}"'


def lang(text: str, tag: str = "en") -> str:
    return f'"{_escape(text)}"@{tag}'


def typed(value: object, datatype: str) -> str:
    return f'"{_escape(str(value))}"^^<{XSD}{datatype}>'


def line(s: str, p: str, o: str) -> str:
    return f"{iri(s)} {iri(p)} {o} .\n"


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


# --- The built-in vocabulary (no base graph) --------------------------------------------------


def _described(s: str, types: tuple[str, ...], label: str, *pairs: tuple[str, str]) -> list[str]:
    """One vocabulary term's lines in a fixed order: its types, its label, then ``pairs``."""
    return [
        *(line(s, TYPE, iri(t)) for t in types),
        line(s, SKOS + "prefLabel", lang(label)),
        *(line(s, p, o) for p, o in pairs),
    ]


def _concept(
    s: str, cls: str, label: str, ident: str, scheme: str, *pairs: tuple[str, str]
) -> list[str]:
    """A SKOS concept of class ``p2p:cls`` in ``scheme``, as the real vocabulary's are."""
    return _described(
        s,
        (P2P + cls, SKOS + "Concept"),
        label,
        (DCT + "identifier", lit(ident)),
        (SKOS + "inScheme", iri(scheme)),
        *pairs,
    )


def builtin_vocabulary(id_base: str = DEFAULT_ID) -> tuple[list[str], Vocabulary]:
    """A small vocabulary with the real graph's shapes, for a graph generated without a base."""
    out: list[str] = []
    vocab = Vocabulary()
    scheme = {k: f"{id_base}scheme/{k}" for k in ("routes", "regimes", "correctives", "principles", "imperatives")}  # fmt: skip
    for name, s in scheme.items():
        out += _described(s, (SKOS + "ConceptScheme",), name)
    legislation = []
    for slug, label, year in (
        ("pcr", "Synthetic Contracts Regulations", "2015-02-26"),
        ("pa", "Synthetic Procurement Act", "2025-02-24"),
        ("psr", "Synthetic Provider Selection Regulations", "2024-01-01"),
    ):
        leg = f"{id_base}eli/synthetic/{slug}"
        legislation.append(leg)
        out += _described(
            leg,
            (ELI + "LegalResource", SDO + "Legislation"),
            label,
            (SDO + "legislationIdentifier", lit(f"synthetic/{slug}")),
        )
        reg = f"{id_base}regime/synthetic-{slug}"
        vocab.regimes.append((reg, f"{label} regime"))
        out += _concept(
            reg,
            "Regime",
            f"{label} regime",
            f"synthetic-{slug}",
            scheme["regimes"],
            (P2P + "inForceFrom", typed(year, "date")),
            (P2P + "legislation", iri(leg)),
        )
    for i in range(12):
        leg, (reg, _) = legislation[i % 3], vocab.regimes[i % 3]
        prov = f"{leg}/regulation/{10 + i}"
        label = f"synthetic regulation {10 + i}"
        vocab.provisions.append((prov, label))
        out += _described(
            prov,
            (P2P + "LegalProvision", ELI + "LegalResourceSubdivision"),
            label,
            (DCT + "identifier", lit(f"synthetic-reg-{10 + i}")),
            (ELI + "is_part_of", iri(leg)),
            (P2P + "regime", iri(reg)),
            (RDFS + "seeAlso", iri(f"http://www.legislation.gov.uk/id/synthetic/{i}")),
        )
    for i, name in enumerate(
        ("open procedure", "innovation partnership", "light touch regime", "grant funding",
         "competitive flexible procedure", "direct award", "alliance contract", "reserved contract")
    ):  # fmt: skip
        route = f"{id_base}route/{_slug(name)}"
        vocab.routes.append((route, name))
        out += _concept(
            route,
            "ProcurementRoute",
            name,
            _slug(name),
            scheme["routes"],
            (P2P + "regime", iri(vocab.regimes[i % 3][0])),
            (P2P + "legalBasis", iri(vocab.provisions[i][0])),
        )
    for kind, cls, n in (("corrective", "FundamentalCorrective", 5), ("principle", "Principle", 9)):
        for i in range(1, n + 1):
            c = f"{id_base}{kind}/{i}"
            label = f"{kind.title()} {i}"
            getattr(vocab, kind + "s").append((c, label))
            out += _concept(
                c, cls, label, f"{kind}-{i}", scheme[kind + "s"], (SKOS + "notation", lit(str(i)))
            )
    root = f"{id_base}imperative/social-value-imperatives"
    for slug, label, broader in (
        ("social-value-imperatives", "Social value imperatives", None),
        ("inclusive-economy", "Inclusive Economy", root),
        ("thriving-communities", "Thriving Communities", root),
        ("co-operative-services", "Co-operative Services", root),
    ):
        c = f"{id_base}imperative/{slug}"
        vocab.imperatives.append((c, label))
        out += _concept(
            c,
            "SocialValueImperative",
            label,
            slug,
            scheme["imperatives"],
            *([(SKOS + "broader", iri(broader))] if broader else []),
        )
    vocab.imperative_scheme = scheme["imperatives"]
    vocab.routes.sort()
    vocab.provisions.sort()
    vocab.imperatives.sort()
    return out, vocab


# --- One unit ---------------------------------------------------------------------------------


class _Unit:
    """Everything one unit mints; ``lines`` collects its N-Triples in a fixed order."""

    def __init__(self, n: int, seed: int, vocab: Vocabulary, id_base: str) -> None:
        self.n = n
        self.rng = random.Random(f"p2p-kg-scale:{seed}:{n}")
        self.vocab = vocab
        self.base = id_base
        self.lines: list[str] = []
        self.tag = f"s{seed}u{n:04d}"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(line(s, p, o))

    def entity(
        self, s: str, classes: tuple[str, ...], label: str, *pairs: tuple[str, str]
    ) -> tuple[str, str]:
        """``s`` typed as each of ``classes``, its ``skos:prefLabel`` (a literal), its ``pairs``."""
        for cls in classes:
            self.add(s, TYPE, iri(cls))
        self.add(s, SKOS + "prefLabel", label)
        for p, o in pairs:
            self.add(s, p, o)
        return s, label

    def fact(self, s: str, p: str, o: str, evidence: str) -> None:
        self.add(s, p, o)
        f = f"{self.base}fact/{hashlib.sha1(f'{s} {p} {o}'.encode()).hexdigest()[:16]}"
        self.add(f, TYPE, iri(P2P + "Fact"))
        self.add(f, TYPE, iri(RDF + "Statement"))
        self.add(f, RDF + "subject", iri(s))
        self.add(f, RDF + "predicate", iri(p))
        self.add(f, RDF + "object", o)
        self.add(f, PROV + "wasDerivedFrom", iri(evidence))

    def build(self) -> list[str]:
        councils = self.councils()
        orgs = self.organisations()
        imperatives = self.local_imperatives()
        docs = self.documents(councils, orgs, imperatives)
        self.partnerships(docs, councils, orgs, imperatives)
        self.faqs(docs)
        return self.lines

    def councils(self) -> list[tuple[str, str]]:
        rng, out = self.rng, []
        place = f"{rng.choice(PLACES)} {self.n}"
        county = None
        for j in range(COUNCILS_PER_UNIT):
            name = f"{place}shire County Council" if j == 0 else f"{place} {PLACES[j]} Council"
            slug = f"synthetic-{self.tag}-{j}"
            c = f"{self.base}council/{slug}"
            council = (P2P + "Council", ORG + "FormalOrganization")
            self.entity(c, council, lang(name), (DCT + "identifier", lit(slug)))
            out.append((c, name))
            if j == COUNCILS_PER_UNIT - 1:  # created after the ONS lookup: no GSS code
                self.add(c, DCT + "created", typed("2023-04-01", "date"))
                self.add(c, RDFS + "comment", lang(f"A unitary authority created for {place}."))
            else:
                gss = f"E99{self.n * 10 + j:06d}"  # E99: no real area has it
                self.add(c, P2P + "gssCode", lit(gss))
                self.add(c, OWL + "sameAs", iri(SG + gss))
            if j == 0:
                county = c
            elif j <= 4:
                self.add(c, P2P + "upperTier", iri(county))
        return out

    def organisations(self) -> list[tuple[str, str]]:
        rng, out = self.rng, []
        for j in range(PARTNERS_PER_UNIT):
            name = (
                f"{rng.choice(PLACES)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {self.n}-{j}"
            )
            o = f"{self.base}organisation/{_slug(name)}"
            partner = (ORG + "Organization", P2P + "PartnerOrganisation")
            self.entity(o, partner, lang(name), (RDFS + "label", lit(name)))
            out.append((o, name))
        return out

    def local_imperatives(self) -> list[tuple[str, str]]:
        """Local imperatives, each under a national one or an earlier local one (chains of 1-3)."""
        rng, out = self.rng, []
        national = list(self.vocab.imperatives)
        for j in range(LOCAL_IMPERATIVES_PER_UNIT):
            parent = rng.choice(national) if j < 3 or not out else rng.choice(out)
            label = f"{parent[1]}: local priority {self.n}.{j}"
            c = f"{self.base}imperative/synthetic-{self.tag}-{j}"
            concept = (P2P + "SocialValueImperative", SKOS + "Concept")
            self.entity(c, concept, lang(label), (DCT + "identifier", lit(c.rsplit("/", 1)[1])))
            out.append((c, label))
            if self.vocab.imperative_scheme:
                self.add(c, SKOS + "inScheme", iri(self.vocab.imperative_scheme))
            self.add(c, SKOS + "broader", iri(parent[0]))
        return out

    def _text(self, mentions: list[tuple[str, str]], council: str, target: int) -> str:
        rng = self.rng
        parts = []
        for _, label in mentions:
            parts.append(
                rng.choice(
                    (
                        f"{council} worked through the {label}.",
                        f"Officers cited {label} when they set the partnership up.",
                        f"The {label} gave commissioners room to co-design the service.",
                        f"Partners asked how {label} applies to {rng.choice(SERVICE_AREAS)}.",
                    )
                )
            )
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(
                rng.choice(FILLER).format(
                    pct=rng.choice((10, 15, 20, 30)),
                    year=rng.randint(2012, 2025),
                    n=rng.randint(2, 10),
                )
            )
        rng.shuffle(parts)
        return " ".join(parts)

    def documents(self, councils, orgs, imperatives) -> list[dict]:
        rng, vocab, docs = self.rng, self.vocab, []
        per_doc = PASSAGES_PER_UNIT // sum(k[1] for k in KINDS)
        extra = PASSAGES_PER_UNIT - per_doc * sum(k[1] for k in KINDS)
        k = 0
        for kind, count, cls in KINDS:
            for i in range(count):
                doc_id = f"synthetic-{self.tag}-{kind.replace('_', '-')}-{i}"
                d = f"{self.base}document/{doc_id}"
                council = rng.choice(councils)
                about = [council, rng.choice(vocab.routes), rng.choice(vocab.provisions)]
                about += rng.sample(vocab.principles, min(2, len(vocab.principles)))
                about.append(rng.choice(imperatives))
                if kind == "regulation":
                    about.append(rng.choice(vocab.regimes))
                about = list(dict.fromkeys(about))
                title = f"{council[1]}: {rng.choice(SERVICE_AREAS)} ({kind.replace('_', ' ')})"
                self.add(d, TYPE, iri(P2P + "SourceDocument"))
                self.add(d, TYPE, iri(P2P + cls))
                self.add(d, TYPE, iri(FOAF + "Document"))
                self.add(d, DCT + "identifier", lit(doc_id))
                self.add(d, DCT + "title", lit(title))
                self.add(d, P2P + "kind", lit(kind))
                digest = hashlib.sha256(doc_id.encode()).hexdigest()
                self.add(d, P2P + "contentHash", lit(digest))
                sources = [f"https://example.org/synthetic/{doc_id}/{s}" for s in range(1 + k % 3)]
                for url in sources:
                    self.add(d, DCT + "source", iri(url))
                if rng.random() < 0.2:
                    self.add(d, DCT + "issued", typed(f"{rng.randint(2015, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "date"))  # fmt: skip
                self.add(d, P2P + "retrieved", typed("2026-11-01", "date"))
                for target, _ in about:
                    self.add(d, P2P + "about", iri(target))
                if kind == "regulation":
                    self.add(d, P2P + "regime", iri(about[-1][0]))
                passages, start = [], 0
                for ordinal in range(1, per_doc + 1 + (1 if k < extra else 0)):
                    pid = f"{doc_id}/p{ordinal}"
                    p = f"{self.base}passage/{pid}"
                    pool = about + [rng.choice(vocab.routes), rng.choice(vocab.provisions)]
                    mentions = list(dict.fromkeys(rng.sample(pool, rng.randint(0, 4))))
                    text = self._text(mentions, council[1], rng.randint(200, 580))
                    self.add(p, TYPE, iri(P2P + "Passage"))
                    self.add(p, TYPE, iri(PROV + "Entity"))
                    self.add(p, DCT + "identifier", lit(pid))
                    self.add(p, DCT + "isPartOf", iri(d))
                    self.add(p, PROV + "wasQuotedFrom", iri(d))
                    self.add(p, P2P + "text", lit(text))
                    self.add(p, P2P + "ordinal", typed(ordinal, "integer"))
                    self.add(p, P2P + "charStart", typed(start, "integer"))
                    self.add(p, P2P + "charEnd", typed(start + len(text), "integer"))
                    self.add(p, P2P + "heading", lit(f"{title} › Part {ordinal}"))
                    self.add(p, DCT + "source", iri(sources[ordinal % len(sources)]))
                    for target, _ in mentions:
                        self.add(p, P2P + "mentions", iri(target))
                    passages.append((p, {m[0] for m in mentions}))
                    start += len(text) + 2
                docs.append(
                    {
                        "id": doc_id,
                        "iri": d,
                        "kind": kind,
                        "council": council,
                        "title": title,
                        "passages": passages,
                    }
                )
                k += 1
        return docs

    def partnerships(self, docs, councils, orgs, imperatives) -> None:
        rng, vocab = self.rng, self.vocab
        cases = [d for d in docs if d["kind"] == "case_study"]
        for i, doc in enumerate(cases):
            ps = f"{self.base}partnership/{doc['id']}"
            area = rng.choice(SERVICE_AREAS)
            name = f"{doc['council'][1]} {area} partnership"
            passages = doc["passages"]

            def evidence(target: str, passages=passages) -> str:
                for p, mentioned in passages:
                    if target in mentioned:
                        return p
                return passages[rng.randrange(len(passages))][0]

            self.add(ps, TYPE, iri(P2P + "Partnership"))
            self.add(ps, TYPE, iri(ORG + "OrganizationalCollaboration"))
            self.add(ps, RDFS + "label", lit(name))
            self.add(ps, SKOS + "prefLabel", lang(name))
            self.add(ps, P2P + "caseStudy", iri(doc["iri"]))
            self.add(ps, PROV + "wasDerivedFrom", iri(doc["iri"]))
            council = doc["council"][0]
            self.fact(ps, P2P + "council", iri(council), evidence(council))
            self.fact(ps, ORG + "hasMember", iri(council), evidence(council))
            if i % 3 != 2:
                route = rng.choice(vocab.routes)[0]
                self.fact(ps, P2P + "route", iri(route), evidence(route))
                basis = rng.choice(vocab.provisions)[0]
                self.fact(ps, P2P + "legalBasis", iri(basis), evidence(basis))
            for c, _ in rng.sample(vocab.correctives, rng.randint(0, 1)):
                self.fact(ps, P2P + "illustratesCorrective", iri(c), evidence(c))
            for c, _ in rng.sample(vocab.principles, min(len(vocab.principles), rng.randint(2, 7))):
                self.fact(ps, P2P + "illustratesPrinciple", iri(c), evidence(c))
            imp = rng.choice(imperatives)[0]
            self.fact(ps, P2P + "appliesImperative", iri(imp), evidence(imp))
            for org, _ in rng.sample(orgs, rng.randint(1, 3)):
                self.fact(ps, ORG + "hasMember", iri(org), evidence(org))
                self.fact(ps, P2P + "partner", iri(org), evidence(org))
            if i % 2 == 0:
                self.fact(ps, P2P + "serviceArea", lit(area), evidence(""))
            if i % 3 == 0:
                started = f"{rng.randint(2014, 2024)}-0{rng.randint(1, 9)}-01"
                self.fact(ps, P2P + "startDate", typed(started, "date"), evidence(""))
            values = [f"£{rng.randint(1, 90) / 10:.1f}m a year"]
            if i == 0:  # sources disagree on one partnership's value, as in the real corpus
                values.append(f"£{rng.randint(91, 150) / 10:.1f}m over the contract")
            for value in values:
                self.fact(ps, P2P + "reportedValue", lit(value), evidence(""))

    def faqs(self, docs) -> None:
        for doc in (d for d in docs if d["kind"] == "faq"):
            q = f"{self.base}question/{doc['id']}"
            a = f"{self.base}answer/{doc['id']}"
            self.add(q, TYPE, iri(SDO + "Question"))
            self.add(
                q, SDO + "name", lit(f"How should {doc['council'][1]} approach {doc['title']}?")
            )
            self.add(q, SDO + "acceptedAnswer", iri(a))
            self.add(q, DCT + "source", iri(doc["iri"]))
            self.add(a, TYPE, iri(SDO + "Answer"))
            self.add(a, PROV + "wasDerivedFrom", iri(doc["iri"]))
            for p, _ in doc["passages"]:
                self.add(a, SDO + "hasPart", iri(p))


def generate(
    units: int, seed: int = 0, vocab: Vocabulary | None = None, id_base: str = DEFAULT_ID
) -> Iterator[str]:
    """N-Triples lines of ``units`` synthetic units (after a built-in vocabulary if none given)."""
    if vocab is None or not vocab.complete():
        lines, vocab = builtin_vocabulary(id_base)
        yield from lines
    for n in range(1, units + 1):
        yield from _Unit(n, seed, vocab, id_base).build()


@dataclass
class ScaledGraph:
    path: Path
    triples: int
    base_triples: int
    units: int


def write_scaled(
    out: Path, factor: int, seed: int = 0, base: Path | None = None, id_base: str = DEFAULT_ID
) -> ScaledGraph:
    """Write about ``factor`` times the base graph's triples: the base, then synthetic units.

    Without a base, ``factor`` units (each about one real graph's worth) are written.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        base_triples = 0
        vocab = None
        if base is not None:
            with base.open(encoding="utf-8") as src:
                for raw in src:
                    if raw.strip():
                        fh.write(raw if raw.endswith("\n") else raw + "\n")
                        base_triples += 1
            vocab = vocabulary_from_graph(base)
        total, units = base_triples, 0
        target = factor * base_triples if base_triples else None
        if vocab is None or not vocab.complete():
            lines, vocab = builtin_vocabulary(id_base)
            fh.writelines(lines)
            total += len(lines)
        while (total < target) if target else (units < factor):
            units += 1
            lines = _Unit(units, seed, vocab, id_base).build()
            fh.writelines(lines)
            total += len(lines)
    return ScaledGraph(out, total, base_triples, units)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="a build's graph.nt to scale (its vocabulary)")
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="directory for graph.nt (default: a temp dir)")
    args = parser.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="kg-scaled-"))
    scaled = write_scaled(out_dir / "graph.nt", args.factor, args.seed, args.base)
    print(
        f"{scaled.path}: {scaled.triples} triples ({scaled.base_triples} from the base, "
        f"{scaled.units} synthetic units)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
