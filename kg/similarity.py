"""Semantic search inside SPARQL: ``kgfn:similarity(?passage, "some text")``.

The function returns the cosine similarity (xsd:double) between a passage's embedding and the
embedding of the text, so a researcher can rank or filter passages by meaning in the same query
that joins them to councils, routes and provisions::

    PREFIX kgfn: <https://w3id.org/p2p-kg/function#>
    SELECT ?passage ?score WHERE {
      ?passage a p2p:Passage .
      BIND(kgfn:similarity(?passage, "innovation with social enterprises") AS ?score)
    } ORDER BY DESC(?score) LIMIT 10

The texts are encoded before the query runs (the encoder lives in the serving process), so the
engine only computes dot products against the build's stored passage embeddings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from .build import EMBEDDINGS, PASSAGES, read_passages
from .namespaces import passage_iri

KGFN = "https://w3id.org/p2p-kg/function#"
SIMILARITY = KGFN + "similarity"
_DOUBLE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
_CALL_RE = re.compile(
    r"(?:kgfn:similarity|<" + re.escape(SIMILARITY) + r">)\s*\(\s*[^,()]+,\s*"
    r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')",
)


def texts_in(query: str) -> list[str]:
    """The literal texts a query compares passages with (they are encoded before it runs)."""
    out = []
    for match in _CALL_RE.finditer(query):
        literal = match.group(1)[1:-1]
        text = re.sub(r"\\(.)", r"\1", literal)
        if text not in out:
            out.append(text)
    return out


class PassageVectors:
    """A build's passage embeddings by passage IRI."""

    def __init__(self, matrix: np.ndarray, rows: dict[str, int]) -> None:
        self.matrix = matrix
        self.rows = rows

    @classmethod
    def from_build(cls, build_dir: Path, id_base: str) -> PassageVectors:
        matrix = np.load(build_dir / EMBEDDINGS, mmap_mode="r")
        passages = read_passages(build_dir / PASSAGES)
        rows = {passage_iri(id_base, p.id): i for i, p in enumerate(passages)}
        return cls(matrix, rows)

    def functions(self, vectors: dict[str, np.ndarray]) -> dict[ox.NamedNode, Callable]:
        def similarity(passage, text):
            if not isinstance(passage, ox.NamedNode) or not isinstance(text, ox.Literal):
                return None
            row = self.rows.get(passage.value)
            vector = vectors.get(text.value)
            if row is None or vector is None:
                return None
            return ox.Literal(repr(float(np.dot(self.matrix[row], vector))), datatype=_DOUBLE)

        return {ox.NamedNode(SIMILARITY): similarity}
