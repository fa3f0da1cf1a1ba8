"""Legal references resolve to provisions only when their instrument is known from context."""

import pytest

from ingest.legal import instruments, legal_references
from kg.config import Settings
from kg.registry import load_registry

SETTINGS = Settings()
BASE = SETTINGS.id_base
PCR = f"{BASE}eli/uksi/2015/102"
PA = f"{BASE}eli/ukpga/2023/54"
LGA = f"{BASE}eli/ukpga/1972/70"


@pytest.fixture(scope="module")
def registry():
    records = load_registry(SETTINGS.ontology_dir, BASE).records
    return {r.iri for r in records}, instruments(records)


def refs(registry, text: str, regime: str = "") -> list[str]:
    known, acts = registry
    return [r.iri for r in legal_references(text, known, acts, regime)]


def test_regulation_needs_the_pcr_in_its_context(registry):
    assert refs(registry, "Under the Public Contracts Regulations 2015, regulation 77 lets...") == [
        f"{PCR}/regulation/77"
    ]
    assert refs(registry, "Regulation 77 lets an authority reserve a contract.") == []


def test_sub_paragraphs_link_to_their_regulation(registry):
    text = "Modification under reg. 72(1)(b) of the PCR 2015 needs a notice."
    assert refs(registry, text) == [f"{PCR}/regulation/72"]


def test_the_documents_regime_resolves_a_bare_regulation(registry):
    assert refs(registry, "Regulation 77 lets an authority reserve a contract.", PCR) == [
        f"{PCR}/regulation/77"
    ]


def test_section_of_the_named_act(registry):
    text = "Section 33 of the Procurement Act 2023 reserves contracts for mutuals."
    assert refs(registry, text) == [f"{PA}/section/33"]
    text = "Best consideration under section 123 of the Local Government Act 1972 applies."
    assert refs(registry, text) == [f"{LGA}/section/123"]


def test_schedule_of_the_act_named_nearby(registry):
    text = (
        "The Procurement Act 2023 lists exempted contracts in Schedule 5 (s. 13 covers the rest)."
    )
    assert refs(registry, text) == [f"{PA}/schedule/5", f"{PA}/section/13"]


def test_two_acts_nearby_leave_a_bare_section_unlinked(registry):
    text = "The Procurement Act 2023 and the Local Government Act 1972 differ; see section 33."
    assert refs(registry, text) == []


def test_a_provision_the_registry_does_not_hold_is_not_linked(registry):
    assert refs(registry, "Regulation 999 of the Public Contracts Regulations 2015") == []
