"""What answers read of a build, made once when it is loaded, not by its first questions.

An answer splits the passages it finds into quotable sentences, stems each, asks of each whether
it leans on the one before and whether it says a fact is not known, and finds the words to
highlight: pure functions of the text, kept per text in bounded caches (``kg.text``,
``answer``, ``verdict``). It also reads a few tables from the graph once per snapshot (the
concept schemes, the thresholds, the jurisdictions and near subjects the corpus covers, the
councils it never mentions). Filling all of them at load means the first questions after
start-up, or after a new build, are answered as fast as the later ones.
"""

from __future__ import annotations

from kg.text import token_set, token_spans, tokens

from .answer import lead_traits, leans, units
from .facts import schemes
from .figures import thresholds
from .snapshot import Snapshot
from .support import jurisdictions_named, uncovered_subjects, unknown_councils
from .verdict import unknown_clause

# The highlight spans are kept for this many passages (``kg.text``); a larger build has its
# first passages prepared, and the rest read on demand as before.
PASSAGES_PREPARED = 1024


def prepare(snapshot: Snapshot, limit: int = PASSAGES_PREPARED, id_base: str = "") -> int:
    """Read the graph's tables and fill the per-text caches for the first ``limit`` passages;
    how many passages were prepared. With ``id_base``, the councils the corpus never mentions
    are indexed too."""
    schemes(snapshot)
    if id_base:
        unknown_councils(snapshot, "", id_base)
    thresholds(snapshot)
    jurisdictions_named(snapshot, "")
    uncovered_subjects(snapshot, "")
    snapshot.document_rows  # noqa: B018 (made once, read by every question)
    passages = snapshot.passages[:limit]
    for passage in passages:
        token_spans(passage.text)
        for _, sentence in units(passage.text):
            tokens(sentence)
            token_set(sentence)
            leans(sentence)
            unknown_clause(sentence)
            lead_traits(sentence)
    return len(passages)
