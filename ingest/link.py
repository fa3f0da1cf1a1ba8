"""Linking: front-matter references resolved to entities, and entity mentions found in passages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.entities import EntityIndex
from kg.vocabulary import REFERENCE_BY_KEY, REFERENCE_KEYS, ReferenceKey

from .model import Document, DocumentError, Passage


@dataclass
class DocumentLinks:
    """The entities a document's front matter names, by key (council, routes, ...)."""

    by_key: dict[str, list[str]] = field(default_factory=dict)

    @property
    def all(self) -> list[str]:
        return [iri for iris in self.by_key.values() for iri in iris]

    def references(self) -> Iterator[tuple[ReferenceKey, str]]:
        """Each IRI with the vocabulary row of the key that names it, in the table's order."""
        for key, iris in self.by_key.items():
            for iri in iris:
                yield REFERENCE_BY_KEY[key], iri


def resolve_references(doc: Document, index: EntityIndex) -> DocumentLinks:
    """Slugs in the front matter to IRIs; an unknown slug is an error naming its line."""
    links = DocumentLinks()
    for ref in REFERENCE_KEYS:
        key, type_ = ref.key, ref.entity.name
        values = doc.meta.get(key)
        if values in (None, "", []):
            continue
        slugs = values if isinstance(values, list) else [values]
        iris = []
        for slug in slugs:
            record = index.resolve(type_, str(slug).strip())
            if record is None:
                raise DocumentError(
                    doc.path,
                    f"'{key}' names '{slug}', which is no known {type_} "
                    f"(see ontology/concepts.ttl, ontology/councils.ttl or the ONS council lookup)",
                    line=doc.meta_lines.get(key),
                )
            iris.append(record.iri)
        links.by_key[key] = iris
    return links


def link_passages(passages: list[Passage], index: EntityIndex) -> list[Passage]:
    """Record on each passage the entities its text mentions, in order of first mention."""
    for passage in passages:
        seen: list[str] = []
        for mention in index.find(passage.text):
            if mention.iri not in seen:
                seen.append(mention.iri)
        passage.mentions = seen
    return passages
