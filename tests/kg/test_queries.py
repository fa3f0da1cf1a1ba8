"""Every example query in queries/ runs on a build of the shipped corpus and gives the answer a
researcher expects; a query added without an expected answer fails here."""

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import PROJECT_ROOT
from kg.sparql import select_rows

QUERIES = PROJECT_ROOT / "queries"
Rows = list[dict[str, str]]
SG = "http://statistics.data.gov.uk/id/statistical-geography/"
LEGISLATION_ID = "http://www.legislation.gov.uk/id/"
P2P = "https://w3id.org/p2p-kg/ontology#"
OLDHAM_PS = "Oldham Social Prescribing Innovation Partnership"
LEICESTERSHIRE_PS = "Children's Innovation Partnership"


def _by(rows: Rows, key: str, value: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row[key], set()).add(row.get(value, ""))
    return out


def _partnership_routes(rows: Rows) -> None:
    routes = _by(rows, "partnership", "routeSlug")
    assert routes[OLDHAM_PS] == {"innovation-partnership"}
    assert routes["Plymouth Alliance"] == {
        "competitive-procedure-with-negotiation",
        "alliance-contract",
    }
    assert routes[LEICESTERSHIRE_PS] == {"light-touch-regime"}
    oldham = next(r for r in rows if r["partnership"] == OLDHAM_PS)
    assert oldham["council"] == "Oldham Council"
    assert oldham["routeLegalBasis"] == "PCR 2015 regulation 31"
    # The sources do not name regulation 31: it is only an inferred basis, never a stated one.
    assert "PCR 2015 regulation 31" not in oldham.get("caseStudyLegalBasis", "")
    plymouth = [r for r in rows if r["partnership"] == "Plymouth Alliance"]
    assert all("regulation 29" not in r.get("caseStudyLegalBasis", "") for r in plymouth)


def _correctives_and_principles(rows: Rows) -> None:
    ideas = {(r["partnership"], r["type"]): set() for r in rows}
    for r in rows:
        ideas[(r["partnership"], r["type"])].add(int(r["number"]))
    assert ideas[("Plymouth Alliance", "corrective")] == {1, 5}
    assert ideas[(OLDHAM_PS, "principle")] == set(range(1, 10))


def _councils_and_partners(rows: Rows) -> None:
    pairs = {(r["council"], r["organisation"]) for r in rows}
    assert ("Oldham Council", "Age UK Oldham") in pairs
    assert ("Leicestershire County Council", "Barnardo's") in pairs
    assert ("Plymouth City Council", "Livewell Southwest") in pairs
    assert all(r.get("passageId") for r in rows), "every partner is traced to a passage"


def _oldham_facts(rows: Rows) -> None:
    route = [r for r in rows if r["property"] == P2P + "route"]
    assert {r["value"] for r in route} == {"innovation partnership"}
    assert all(r["passageId"].startswith("case-oldham-social-prescribing/") for r in route)
    assert any(r["property"] == P2P + "council" and r["value"] == "Oldham Council" for r in rows)
    assert all(r["passageId"] and r["passageText"] for r in rows)


def _light_touch(rows: Rows) -> None:
    provisions = _by(rows, "routeSlug", "provision")
    assert set(provisions) == {"light-touch-regime", "light-touch-contract"}
    assert provisions["light-touch-regime"] == {f"PCR 2015 regulation {n}" for n in (74, 75, 76)}
    assert provisions["light-touch-contract"] == {"Procurement Act 2023 section 9"}
    assert all(r["legislationGovUk"].startswith(LEGISLATION_ID) for r in rows)


def _replaced_by(rows: Rows) -> None:
    pairs = {(r["pcr2015Slug"], r["pa2023Slug"]) for r in rows}
    assert ("innovation-partnership", "competitive-flexible-procedure") in pairs
    assert ("competitive-dialogue", "competitive-flexible-procedure") in pairs
    assert ("light-touch-regime", "light-touch-contract") in pairs
    assert ("negotiated-without-prior-publication", "direct-award") in pairs
    assert ("reserved-contract-mutuals", "reserved-contract-public-service-mutuals") in pairs
    innovation = next(r for r in rows if r["pcr2015Slug"] == "innovation-partnership")
    assert innovation["pcr2015Basis"] == "PCR 2015 regulation 31"
    assert all(r["effectiveFrom"] == "2025-02-24" for r in rows if "effectiveFrom" in r)


def _regimes(rows: Rows) -> None:
    regimes = {r["regimeSlug"]: r for r in rows}
    assert regimes["pcr2015"]["inForceFrom"] == "2015-02-26"
    assert regimes["pcr2015"]["appliesToProcurementsStartedBefore"] == "2025-02-24"
    assert regimes["pa2023"]["inForceFrom"] == "2025-02-24"
    assert regimes["pa2023"]["appliesToProcurementsStartedFrom"] == "2025-02-24"
    assert regimes["psr2023"]["inForceFrom"] == "2024-01-01"
    assert [r["regimeSlug"] for r in rows] == ["pcr2015", "psr2023", "pa2023"]
    assert regimes["pa2023"]["legislationGovUk"] == LEGISLATION_ID + "ukpga/2023/54"


def _routes_in_force_mid_2025(rows: Rows) -> None:
    slugs = {r["routeSlug"] for r in rows}
    assert {"competitive-flexible-procedure", "light-touch-contract", "psr-direct-award-c"} <= slugs
    assert "innovation-partnership" not in slugs
    assert "light-touch-regime" not in slugs


def _councils_gss(rows: Rows) -> None:
    assert len(rows) >= 4
    codes = {r["council"]: r["gssCode"] for r in rows}
    assert codes["Oldham Council"] == "E08000004"
    assert codes["Leicestershire County Council"] == "E10000018"
    for r in rows:
        assert r["statistics"] == SG + r["gssCode"]
        if "upperTier" in r:
            assert r["upperTierGssCode"].startswith("E10")


def _documents_per_kind(rows: Rows) -> None:
    kinds = {r["kind"]: (int(r["documents"]), int(r["passages"])) for r in rows}
    assert kinds["case_study"][0] >= 4
    assert kinds["faq"][0] >= 5
    assert kinds["regulation"][0] >= 10
    assert all(passages >= documents for documents, passages in kinds.values())


def _regulation_31_passages(rows: Rows) -> None:
    ids = {r["passageId"] for r in rows}
    assert any(i.startswith("reg-pcr2015-reg-31-innovation-partnership/") for i in ids)
    assert any(i.startswith("case-oldham-social-prescribing/") for i in ids)
    assert all(r["documentSources"].startswith("http") for r in rows)


def _conflicting_values(rows: Rows) -> None:
    values = _by(rows, "partnership", "reportedValue")
    assert set(values) == {OLDHAM_PS, LEICESTERSHIRE_PS}, "Plymouth has a single value"
    assert values[OLDHAM_PS] == {
        "£1.25m over three years (E3M)",
        "£1.1m over three years (i-network)",
    }
    assert all(r["passageId"] for r in rows)


def _conflicting_reports(rows: Rows) -> None:
    aspects = {(r["partnership"], r["aspect"]) for r in rows}
    assert ("Children's Innovation Partnership", "procedure") in aspects  # light touch vs "open"
    assert ("Plymouth Alliance", "duration") in aspects  # five years vs a 10-year contract
    assert (OLDHAM_PS, "value") in aspects
    assert all(r["passageId"] for r in rows)


def _thresholds(rows: Rows) -> None:
    amounts = {r["category"]: r["amountGBP"] for r in rows}
    assert amounts["light touch services"] == "663540"
    assert amounts["supplies and services, sub-central authorities"] == "214904"
    assert amounts["works"] == "5372609"
    assert all(r["validFrom"] == "2024-01-01" and r["includesVAT"] == "true" for r in rows)
    # On 1 June 2024 only PCR 2015 governed new procurements, so only its figures apply.
    assert {r["regime"] for r in rows} == {"pcr2015"}
    assert all(r["validUntil"] == "2025-02-23" for r in rows)


def _faq(rows: Rows) -> None:
    questions = {r["question"]: r for r in rows}
    assert len(questions) >= 5
    measure = questions["How do you measure social value?"]
    assert measure["documentId"] == "faq-how-do-you-measure-social-value"
    assert int(measure["passages"]) >= 1 and measure["answerStart"]


def _provisions(rows: Rows) -> None:
    provisions = {r["slug"]: r for r in rows}
    assert len(provisions) >= 20
    reg31 = provisions["pcr2015-reg-31"]
    assert reg31["legislationGovUk"] == LEGISLATION_ID + "uksi/2015/102/regulation/31"
    assert reg31["legislation"] == "Public Contracts Regulations 2015"
    assert provisions["pa2023-s-33"]["regime"] == "Procurement Act 2023"


def _most_mentioned(rows: Rows) -> None:
    counts = [int(r["passages"]) for r in rows]
    assert len(rows) == 20 and counts == sorted(counts, reverse=True)
    top = [r["label"] for r in rows[:5]]
    assert "Oldham Council" in top and "innovation partnership" in top


def _councils_since_2021(rows: Rows) -> None:
    councils = {r["slug"]: r for r in rows}
    assert {"cumberland", "westmorland-and-furness", "north-yorkshire", "somerset"} <= set(councils)
    for slug in ("cumberland", "somerset"):
        assert councils[slug]["created"] == "2023-04-01"
        assert "not verified against a stored source" in councils[slug]["note"]


def _eu_procedure_types(rows: Rows) -> None:
    types = {r["routeSlug"]: r["euProcedureType"].rsplit("/", 1)[-1] for r in rows}
    assert types["innovation-partnership"] == "innovation"
    assert types["competitive-dialogue"] == "comp-dial"
    assert types["negotiated-without-prior-publication"] == "neg-wo-call"


EXPECT: dict[str, Callable[[Rows], None]] = {
    "01-partnership-routes-and-legal-basis": _partnership_routes,
    "02-case-study-correctives-and-principles": _correctives_and_principles,
    "03-councils-and-partner-organisations": _councils_and_partners,
    "04-oldham-facts-with-source-passages": _oldham_facts,
    "05-light-touch-routes-and-provisions": _light_touch,
    "06-pcr2015-routes-replaced-by-procurement-act": _replaced_by,
    "07-regimes-and-in-force-dates": _regimes,
    "08-routes-in-force-on-a-date": _routes_in_force_mid_2025,
    "09-councils-gss-codes-and-upper-tier": _councils_gss,
    "10-documents-per-kind": _documents_per_kind,
    "11-passages-mentioning-regulation-31": _regulation_31_passages,
    "12-conflicting-reported-values": _conflicting_values,
    "13-faq-questions-and-answers": _faq,
    "14-legal-provisions-and-legislation-gov-uk": _provisions,
    "15-most-mentioned-entities": _most_mentioned,
    "16-councils-missing-from-ons-2021-lookup": _councils_since_2021,
    "17-routes-and-eu-procedure-types": _eu_procedure_types,
    "18-conflicting-reports": _conflicting_reports,
    "19-thresholds-on-a-date": _thresholds,
}


def _query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def store(service):
    return service.snapshot().store


def test_every_query_has_an_expected_answer():
    names = {p.stem for p in QUERIES.glob("*.rq")}
    assert len(names) >= 14
    assert names == set(EXPECT), "add an expected answer for each query in queries/"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_query_gives_the_expected_answer(name, store):
    rows = select_rows(store, _query(name))
    assert rows, f"{name} returned nothing"
    EXPECT[name](rows)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_query_is_self_contained_and_titled(name):
    text = _query(name)
    lines = text.splitlines()
    assert lines[0].startswith("# title: ") and len(lines[0]) > 15
    assert lines[1].startswith("# description: ") and len(lines[1]) > 40
    # Parses with no predeclared prefixes: it runs on any SPARQL endpoint.
    ox.Store().query(text)
    assert "https://w3id.org/p2p-kg/id/" not in text, "find entities by slug, not by IRI"


def test_routes_in_force_follow_the_date(store):
    text = _query("08-routes-in-force-on-a-date")
    assert '"2025-06-01"^^xsd:date' in text

    def on(date: str) -> set[str]:
        rows = select_rows(store, text.replace("2025-06-01", date))
        return {r["routeSlug"] for r in rows}

    before_psr = on("2020-01-01")
    assert "innovation-partnership" in before_psr
    assert "competitive-flexible-procedure" not in before_psr
    assert not any(s.startswith("psr-") for s in before_psr)
    on_the_day = on("2025-02-24")
    assert "competitive-flexible-procedure" in on_the_day
    assert "innovation-partnership" not in on_the_day
    assert "innovation-partnership" in on("2025-02-23")


def test_readme_lists_every_query():
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    queries = sorted(Path(QUERIES).glob("*.rq"))
    assert queries, f"no queries in {QUERIES}"
    for path in queries:
        assert f"`{path.name}`" in readme, path.name
