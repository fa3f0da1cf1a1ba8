"""Which law applies on a date, and what to say when a cited route no longer (or not yet) does.

The toolkit's case studies used routes of the Public Contracts Regulations 2015; a procurement
started on or after 24 February 2025 falls under the Procurement Act 2023, and health care
services have had the Provider Selection Regime since 1 January 2024. The dates and the route
successions come from the graph (ontology/concepts.ttl, ontology/successions.ttl), so answers
and SPARQL agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.sparql import select_rows
from kg.store import GraphStore


@dataclass(frozen=True)
class Regime:
    iri: str
    label: str
    starts: dt.date | None  # applies to procurements started on or after
    ends: dt.date | None  # applies to procurements started before

    def applies(self, day: dt.date) -> bool:
        return (self.starts is None or day >= self.starts) and (
            self.ends is None or day < self.ends
        )

    def period(self) -> str:
        if self.ends and not self.starts:
            return f"procurements started before {_human(self.ends)}"
        if self.starts and not self.ends:
            return f"procurements started on or after {_human(self.starts)}"
        if self.starts and self.ends:
            return f"procurements started between {_human(self.starts)} and {_human(self.ends)}"
        return "procurements of any date"


@dataclass(frozen=True)
class Succession:
    old: str
    new: str
    note: str


@dataclass
class RegimeNote:
    route: str
    counterpart: str | None
    text: str
    citations: list[int] = field(default_factory=list)


def _human(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _short(label: str) -> str:
    """A route label without its "(Procurement Act 2023)" suffix: the sentence names the regime."""
    return re.sub(r"\s*\([^)]*\)$", "", label)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


@dataclass
class RegimeIndex:
    regimes: dict[str, Regime]
    route_regime: dict[str, str]
    labels: dict[str, str]
    successions: list[Succession]
    provision_routes: dict[str, list[str]]
    changes: frozenset[str] = frozenset()  # routes that change a contract already awarded

    @classmethod
    def from_store(cls, store: GraphStore) -> RegimeIndex:
        regimes = {}
        for row in select_rows(
            store,
            """
            SELECT ?r ?label ?from ?inforce ?before WHERE {
              ?r a p2p:Regime ; skos:prefLabel ?label .
              OPTIONAL { ?r p2p:appliesToProcurementsStartedFrom ?from }
              OPTIONAL { ?r p2p:inForceFrom ?inforce }
              OPTIONAL { ?r p2p:appliesToProcurementsStartedBefore ?before }
            }""",
        ):
            starts = _date(row.get("from")) or (
                None if row.get("before") else _date(row.get("inforce"))
            )
            regimes[row["r"]] = Regime(row["r"], row["label"], starts, _date(row.get("before")))
        route_regime, labels = {}, {}
        for row in select_rows(
            store,
            """
            SELECT ?route ?label ?regime WHERE {
              ?route a p2p:ProcurementRoute ; skos:prefLabel ?label .
              OPTIONAL { ?route p2p:regime ?regime }
            }""",
        ):
            labels[row["route"]] = row["label"]
            if "regime" in row:
                route_regime[row["route"]] = row["regime"]
        successions = [
            Succession(r["old"], r["new"], r.get("note", ""))
            for r in select_rows(
                store,
                """
            SELECT ?old ?new ?note WHERE {
              ?old p2p:replacedBy ?new .
              OPTIONAL { ?s p2p:fromRoute ?old ; p2p:toRoute ?new ; p2p:changeNote ?note }
            }""",
            )
        ]
        provision_routes: dict[str, list[str]] = {}
        for row in select_rows(
            store, "SELECT ?route ?p WHERE { ?route a p2p:ProcurementRoute ; p2p:legalBasis ?p }"
        ):
            provision_routes.setdefault(row["p"], []).append(row["route"])
        changes = frozenset(
            row["route"]
            for row in select_rows(
                store,
                "SELECT ?route WHERE { ?route p2p:changesAwardedContracts true }",
            )
        )
        return cls(regimes, route_regime, labels, successions, provision_routes, changes)

    def routes_of(self, iris: Iterable[str]) -> list[str]:
        """Routes named directly, or through the provision that is their legal basis."""
        out: list[str] = []
        for iri in iris:
            for route in [iri] if iri in self.labels else self.provision_routes.get(iri, []):
                if route not in out:
                    out.append(route)
        return out

    def applies(self, route: str, day: dt.date) -> bool:
        regime = self.regimes.get(self.route_regime.get(route, ""))
        return regime is None or regime.applies(day)

    def counterpart(self, route: str, day: dt.date) -> Succession | None:
        """The nearest route that does apply on the day: a successor, or for a route not yet
        in force, its predecessor."""
        for s in self.successions:
            if s.old == route and self.applies(s.new, day):
                return s
        for s in self.successions:
            if s.new == route and self.applies(s.old, day):
                return s
        return None

    def note(self, route: str, day: dt.date) -> RegimeNote | None:
        """One sentence for a route that does not apply to a procurement started on the day."""
        if self.applies(route, day):
            return None
        regime = self.regimes[self.route_regime[route]]
        label = _short(self.labels[route])
        if route in self.changes:
            return self._change_note(route, regime, label, day)
        succession = self.counterpart(route, day)
        text = f"The {label} is a route of the {regime.label}, which applies to {regime.period()}"
        if succession is None:
            return RegimeNote(
                route,
                None,
                text + f"; it does not apply to a procurement started on {_human(day)}.",
            )
        other = succession.new if succession.old == route else succession.old
        other_regime = self.regimes.get(self.route_regime.get(other, ""))
        under = f" of the {other_regime.label}" if other_regime else ""
        text += (
            f"; for a procurement started on {_human(day)} the nearest counterpart is the "
            f"{_short(self.labels[other])}{under}"
        )
        if succession.note and succession.old == route:
            text += f" ({succession.note[0].lower()}{succession.note[1:].rstrip('.')})"
        return RegimeNote(route, other, text + ".")

    def _change_note(self, route: str, regime: Regime, label: str, day: dt.date) -> RegimeNote:
        """A change to a contract already awarded follows the regime it was awarded under,
        whatever the day of the change: only a new contract follows the regime of the day."""
        later = sorted(
            (
                r
                for r in self.regimes.values()
                if r.applies(day) and r.starts and regime.ends and r.starts >= regime.ends
            ),
            key=lambda r: r.starts,
        )
        text = (
            f"A contract awarded under the {regime.label} (for {regime.period()}) is still "
            f"changed under its rules until it ends, so the {label} applies to it on "
            f"{_human(day)} too"
        )
        if later:
            text += (
                f"; a contract awarded under the {later[0].label} is changed under that "
                "regime's own rules"
            )
        return RegimeNote(route, None, text + ".")
