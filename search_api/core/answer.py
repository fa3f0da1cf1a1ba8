"""Composing an answer only from what the cited passages and the graph say.

The answer is extractive: its sentences are copied from the cited passages, each followed by
its [n] marker, plus graph facts whose evidence passage is also cited. Nothing is generated, so
nothing can be said that a source does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from math import fsum

from kg.build import PassageRow
from kg.text import sentence_spans, token_set, token_spans, tokens

from .cues import patterns, rows, section, word_rows
from .question import Asks, Kind, Question, asks_yes_or_no, classify
from .specificity import english_idf
from .verdict import hedged_clauses, lead_words, unknown_clause, unknown_subject

UNSUPPORTED_TEXT = (
    "The corpus does not cover this question: no passage in the Procurement to Partnership "
    "sources answers it closely enough to cite."
)
NOT_KNOWN_LEAD = "The sources do not give this."


class Status(StrEnum):
    """What the answer is: an answer, the sources' own word that the fact is not known, or a
    decline because nothing found is close enough."""

    ANSWERED = "answered"
    NOT_KNOWN = "not_known"
    NOT_COVERED = "not_covered"


@dataclass
class Citation:
    n: int
    passage: PassageRow
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Fact:
    text: str
    citations: list[int]  # numbers of the citations that support it
    leads: bool = False  # the fact is the answer itself (a scheme's members): put it first


@dataclass
class Answer:
    text: str
    supported: bool
    citations: list[Citation]
    facts: list[Fact] = field(default_factory=list)
    status: Status = Status.ANSWERED


def highlights(text: str, query_tokens: set[str]) -> list[tuple[int, int]]:
    return [(s, e) for s, e, stem in token_spans(text) if stem in query_tokens]


COMMON_WORD = 10.5  # English idf below which a word is everyday English ("give", "group")


def content_stems(query_tokens: list[str], entity_surfaces: list[str]) -> set[str]:
    """The question's stems worth highlighting: words everyday English seldom uses, and the
    words of the concepts the question names ("care contract", "best value duty")."""
    common = english_idf()
    marked = {t for t in query_tokens if common.get(t, COMMON_WORD) >= COMMON_WORD}
    for surface in entity_surfaces:
        marked.update(tokens(surface))
    return marked


def _sentence_score(sentence: str, q: set[str], idf: dict[str, float]) -> float:
    words = token_set(sentence)
    if not words:
        return 0.0
    overlap = fsum(idf.get(t, 0.0) for t in words & q)
    return overlap / (1.0 + 0.02 * len(sentence.split()))


# Words that lean on the sentence before: lifted out alone, such a sentence means little.
DANGLING_RE = re.compile(
    r"^(it|this|that|these|those|they|he|she|such|hence|thus|therefore|so|but|however|inference|"
    r"also|instead|otherwise|here|there|both|either|neither|many|most|some|each|then|again|"
    r"likewise|similarly|moreover|furthermore|in (addition|turn|short|practice|that case)|"
    r"as a result|for (this|that|these) reason|the (former|latter|same))\b",
    re.I,
)
# A reference back ("these categories", "the above", "therefore" mid-sentence) leans too.
LEANS_INSIDE_RE = re.compile(
    r"\b(these|those|the above|the former|the latter|such (a|an)?\s?\w+s?|this (list|rule|route|"
    r"note|section|approach|option|case)|therefore|thus|hence|as a result|consequently|"
    r"accordingly|in turn|(of|from|for|on|by|with|under|about|in) that (?!(is|was|are|were|it|they|"
    r"he|she|the|a|an|this|these|those|case)\b)[a-z]+)\b",
    re.I,
)
LEANS_WITHIN_WORDS = 12  # a back-reference this early in a sentence carries its meaning
FORWARD_RE = re.compile(r"\b(these|those|the following)(\s+\w+){0,3}\s*:", re.I)
# Signposts point at other notes instead of saying anything: they are never quoted.
SIGNPOST_RE = re.compile(
    r"\b(the (separate|other|following|next|related|linked|companion) (notes?|documents?|sections?"
    r"|pages?)|see (the|our|also|below|above)|(is|are) (explained|described|covered|set out|"
    r"discussed|summarised|treated) (in|below|above|elsewhere|separately)|(this|the present) "
    r"(note|document|page) (covers|explains|describes|sets out|looks at)|(should|can|could) "
    r"(consult|go to|look at|refer to) the)\b",
    re.I,
)


# "A parish council also gained ..." adds to a point made before it (cues.toml).
ADDS_TO_BEFORE = section("question").adds_to_before
FINDING_OUT = section("question").finding_out  # "figure out": how the asker learns, not what
# "... does not apply to concessions either." adds to a point made before it.
LEANS_AT_END_RE = re.compile(r"\b(either|too|as well|also)\W*$", re.I)


@lru_cache(maxsize=32_768)
def leans(sentence: str) -> bool:
    """Whether a sentence needs the one before it to mean what it says (kept per sentence)."""
    if DANGLING_RE.match(sentence) or LEANS_AT_END_RE.search(sentence):
        return True
    sentence = FORWARD_RE.sub("", sentence)  # "these conditions: ..." points ahead, not back
    early = " ".join(sentence.split()[:LEANS_WITHIN_WORDS])
    return LEANS_INSIDE_RE.search(early) is not None or ADDS_TO_BEFORE.search(early) is not None


ITEM_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
LIST_UNIT_MAX = 700  # a whole list reads as one sentence up to this length


def _item(line: str) -> str:
    item = ITEM_RE.sub("", line).strip().rstrip(";,.")
    return item.removesuffix(" and").removesuffix(" or").rstrip(";,.")


def units(text: str) -> list[tuple[int, str]]:
    """(offset, text) of what an answer may quote: sentences, and list items with their lead-in.

    A list item lifted alone ("it has not won a comparable contract") loses what it is a
    condition of; quoted with its lead-in, or as the whole short list, it stays true.
    Split once per passage text (bounded cache): every question that finds it reads them.
    """
    return list(_units(text))


@lru_cache(maxsize=4096)
def _units(text: str) -> tuple[tuple[int, str], ...]:
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        sentences = [
            (a, " ".join(text[a:b].split()))
            for a, b in sentence_spans(text, start, start + len(line))
        ]
        items: list[tuple[int, str]] = []
        j = i + 1
        while j < len(lines) and (ITEM_RE.match(lines[j][1]) or not lines[j][1].strip()):
            if lines[j][1].strip():
                items.append((lines[j][0], _item(lines[j][1])))
            j += 1
        if line.rstrip().endswith(":") and items and sentences:
            *before, (lead_at, lead) = sentences
            lead = lead.rstrip(":")
            out += before
            whole = f"{lead}: {'; '.join(item for _, item in items)}."
            if len(whole) <= LIST_UNIT_MAX:
                out.append((lead_at, whole))
            else:
                out += [(at, f"{lead}: {item}.") for at, item in items]
            i = j
            continue
        if ITEM_RE.match(line):
            out.append((start, ITEM_RE.sub("", line).strip()))
        else:
            out += sentences
        i += 1
    return tuple(out)


def compose(
    question_tokens: list[str],
    passages: list[tuple[PassageRow, float]],
    idf: dict[str, float],
    supported: bool,
    facts: list[Fact] | None = None,
    max_sentences: int = 3,
    question: str | Question = "",
    marked: set[str] | None = None,
    quotable: int | None = None,
    content: set[str] | None = None,
    names: set[str] = frozenset(),
    proper: set[str] | None = None,
    subject_documents: set[str] = frozenset(),
    gives_asked: bool = True,
    other_regime: set[str] = frozenset(),
    named_in: NamedIn | None = None,
    regime_names: RegimeNames | None = None,
    concepts: tuple[frozenset[str], ...] = (),
    items: frozenset[str] = frozenset(),
    verdict_found: bool = False,
) -> Answer:
    """The best supporting sentences of the top passages, each with its citation number,
    led by what the question's kind asks for when a cited sentence or graph fact gives it.

    ``marked`` are the question's stems worth highlighting (its content words); by default
    every question stem is; ``content`` are the words a sentence backing a direct first line
    must share with the question (by default ``marked``); ``names`` are the stems of the
    entities the question names, ``proper`` of those named by a proper name (councils, bodies,
    laws; by default all of ``names``); ``subject_documents`` the documents about the routes or
    topics it names; ``gives_asked`` is false when nothing found gives the particular item the
    question asks for (a person, a quantity, a date): then it is declined unless the sources
    say that item is not known. Only the first ``quotable`` passages (those retrieval found) give
    sentences; passages cited for a graph fact's evidence back that fact alone, and one cited
    from a document about the subject may lead. ``other_regime`` are the documents on a
    regime the question is not about (not the one it names, else not the one in force on its
    day): a direct yes or no is backed by the rules that apply
    where they give one. When the question names its regime (``regime_names``), no sentence of
    those documents leads while another can, nor one that opens with another regime's name
    ("Under PCR 2015, ...") and names none of the question's; and, whatever the question, no
    sentence naming fewer of ``concepts`` (the stems of each thing the question names by its
    name, a regime aside) than another. ``named_in`` says where the councils and bodies the
    question names are spoken of: a sentence saying something is not known answers only when
    it is about one of them. ``items`` are the sentences found giving the particular item the
    question asks for (a person, a sum, a date, the bodies that run something): the best leads."""
    if not supported or not passages:
        return Answer(UNSUPPORTED_TEXT, False, [], [], Status.NOT_COVERED)
    asked = question if isinstance(question, Question) else classify(question)
    q = set(question_tokens)
    marks = q if marked is None else marked
    citations = [
        Citation(n=i + 1, passage=p, score=s, highlights=highlights(p.text, marks))
        for i, (p, s) in enumerate(passages)
    ]
    candidates = _candidates(citations[:quotable], q, idf, asked)
    # A yes/no question on what may be done, when a sentence found gives a verdict on it ("the
    # council may charge fees to suppliers"), is answered by that verdict, not by a hedge on a
    # detail beside it ("nor give figures for the fees charged").
    unknown = (
        None
        if verdict_found
        else _not_known(
            candidates,
            q - token_set(" ".join(FINDING_OUT.findall(asked.text))),  # not "figures"
            idf,
            names if asked.kind is Kind.DEFINITION or proper is None else proper,
            marks,
            None if asked.kind is Kind.DEFINITION else named_in,
            # "May we charge a fee?" is answered by the rule, not by a hedge on the fees charged.
            "" if asked.kind is Kind.PERMISSION else FINDING_OUT.sub(" ", asked.text),
            names,
            # A yes/no question, or one comparing two things, is not answered by what the sources
            # do not give of a detail it does not ask (the date of a change, the outcomes of a
            # model).
            asked.text if asks_yes_or_no(asked.text) or asked.kind is Kind.COMPARISON else "",
            items,
        )
    )
    if unknown is not None:
        # The sources say the asked fact is not known: say so first, quoting them, and do not
        # present the neighbouring facts as an answer.
        text = f"{NOT_KNOWN_LEAD} {_terminate(unknown.sentence)} [{unknown.n}]"
        return Answer(text, False, citations, [], Status.NOT_KNOWN)
    if not gives_asked:
        return Answer(UNSUPPORTED_TEXT, False, [], [], Status.NOT_COVERED)
    if named_in is not None:
        # What is not known of someone else is no part of an answer about who was asked of.
        candidates = [
            c for c in candidates if unknown_clause(c.sentence) is None or named_in.speaks_of(c)
        ]
    facts = list(facts or [])
    # The rules of a regime the question is not about lead only when nothing else can. A case
    # study tells what a council did under the rules of its day, and a comparison asks about
    # both regimes: neither yields.
    by_regime = regime_names is not None and asked.kind is not Kind.COMPARISON
    lead_order = LeadOrder(
        concepts=concepts,
        documents=frozenset(
            c.passage.document_id
            for c in citations
            if c.passage.document_id in other_regime and c.passage.kind in RULE_KINDS
        )
        if by_regime
        else frozenset(),
        names=regime_names if by_regime else None,
    )
    lead = ""
    lead_candidate: Candidate | None = None
    if any(f.leads for f in facts):
        max_sentences -= 1  # the graph fact is the point; fewer quotes follow it
        if asked.kind is Kind.FIGURE:
            # After the figure, only sentences about what was asked ("threshold"), not any
            # sentence that happens to hold a date.
            candidates = [c for c in candidates if marks & token_set(c.sentence)]
    giving = (
        _first_lead([c for c in candidates if c.sentence in items], lead_order)
        if items and not any(f.leads for f in facts)
        else None
    )
    if giving is not None:
        # "Who won?", "how much is it worth?": the sentence naming them, or giving the sum.
        lead = f"{_terminate(giving.sentence)} [{giving.n}]"
        lead_candidate = giving
        candidates.remove(giving)
        max_sentences -= 1
    elif asked.kind is Kind.PERMISSION and asked.asks is not None:
        backing = _backing(candidates, asked, marks if content is None else content, other_regime)
        if backing is not None:
            words, candidate = backing
            # Only a cited sentence that says so may back a direct first line.
            lead = f"{words} {_terminate(candidate.sentence)} [{candidate.n}]"
            lead_candidate = candidate
            candidates.remove(candidate)
            max_sentences -= 1
    elif asked.kind is Kind.CASE_STUDY:
        # What the council did leads: the best sentence naming what the question names with
        # an action in it ("set up a partnership with ..."), not its budget or its setting.
        acting = next(
            (
                c
                for c in candidates
                if _acts(c.sentence) and marks & token_set(c.sentence) and not _hedges(c)
            ),
            None,
        )
        if acting is not None:
            lead = f"{_terminate(acting.sentence)} [{acting.n}]"
            lead_candidate = acting
            candidates.remove(acting)
            max_sentences -= 1
    elif asked.kind is Kind.DEFINITION and asked.term:
        defining = _defining(candidates, asked.term)
        if defining is not None:
            candidates.remove(defining)
            candidates.insert(0, defining)
    if not lead and not any(f.leads for f in facts) and asked.kind in SUBJECT_LEADS:
        # The question names what it is about ("extend" a contract, "for a pound"): the point
        # is what a document about that says, so its best sentence leads.
        on_subject = next((c for c in candidates if c.document in subject_documents), None)
        if on_subject is None:
            # A passage about the subject cited beyond those retrieval found (see ``quotable``).
            about = [c for c in citations[quotable:] if c.passage.document_id in subject_documents]
            on_subject = next(iter(_candidates(about, q, idf, asked)), None)
        if on_subject is not None and _goes_after(on_subject, lead_order) > min(
            (_goes_after(c, lead_order) for c in candidates), default=(False, False, 0, False)
        ):
            on_subject = None  # a hedge, or another regime's rule, leads only when all are
        if on_subject is not None:
            lead = f"{_terminate(on_subject.sentence)} [{on_subject.n}]"
            lead_candidate = on_subject
            if on_subject in candidates:
                candidates.remove(on_subject)
            max_sentences -= 1
    if not any(f.leads for f in facts) and not lead and candidates and max_sentences > 0:
        # The best sentence leads (the defining one for a definition); the rest follow in
        # passage order.
        first = (
            candidates[0] if asked.kind is Kind.DEFINITION else _first_lead(candidates, lead_order)
        )
        lead = f"{_terminate(first.sentence)} [{first.n}]"
        lead_candidate = first
        candidates.remove(first)
        max_sentences -= 1
    chosen = _choose(candidates, max_sentences, len(citations), lead_candidate)
    chosen.sort(key=lambda c: (c.rank, c.start))

    def stated(fact: Fact) -> str:
        return f"{_terminate(fact.text)} {''.join(f'[{n}]' for n in fact.citations)}"

    parts = (
        [stated(f) for f in facts if f.leads]
        + ([lead] if lead else [])
        + [f"{_terminate(c.sentence)} [{c.n}]" for c in chosen]
        + [stated(f) for f in facts if not f.leads]
    )
    return Answer(" ".join(parts), True, citations, facts)


@dataclass
class Candidate:
    score: float
    rank: int  # the passage's rank among the citations
    start: int  # offset in the passage
    sentence: str
    n: int  # citation number
    document: str


# What a sentence holds that a question of the kind asks for (cues.toml, [content]).
KIND_CUES: dict[Kind, re.Pattern[str]] = {Kind(k): p for k, p in patterns("content").items()}
KIND_CUE_BONUS = 0.5
# Kinds whose answer leads with the best sentence of a document about the question's subject,
# when nothing more particular (a verdict, the defining sentence, a figure, an action) leads.
SUBJECT_LEADS = {Kind.PERMISSION, Kind.HOW_TO, Kind.OTHER}
RULE_KINDS = {"regulation"}  # documents that give a regime's rules (not guides about them)


def _candidates(
    citations: list[Citation], q: set[str], idf: dict[str, float], asked: Question
) -> list[Candidate]:
    """Every quotable unit of the cited passages that stands alone, best first."""
    cue = KIND_CUES.get(asked.kind)
    out: list[Candidate] = []
    for rank, citation in enumerate(citations):
        quotable = units(citation.passage.text)
        for k, (start, sentence) in enumerate(quotable):
            if len(sentence) < 25 or len(sentence) > LIST_UNIT_MAX or sentence.endswith(":"):
                continue
            if _not_prose(sentence):
                continue
            if leans(sentence):
                if k == 0 or len(quotable[k - 1][1]) + len(sentence) >= LIST_UNIT_MAX:
                    continue  # quoted with the sentence it leans on, or not at all
                before = quotable[k - 1][1]
                if before.endswith(":") or leans(before):
                    continue
                start, sentence = quotable[k - 1][0], f"{before} {sentence}"
            score = _sentence_score(sentence, q, idf) + 1.5 / (rank + 1)
            if cue is not None and _holds(cue, sentence):
                score += KIND_CUE_BONUS
            out.append(
                Candidate(
                    score,
                    rank,
                    start,
                    sentence,
                    citation.n,
                    citation.passage.document_id,
                )
            )
    out.sort(key=lambda c: (-c.score, c.rank, c.start))
    return out


# A hedge answers the question when it is the best sentence found and its clause names most of
# what the question asks about, or among the best two and naming more of it.
UNKNOWN_POOL = 3  # passages whose sentences may say the fact is not known
UNKNOWN_FIRST_SHARE = 0.3  # share of the question's weight the leading hedge must name
UNKNOWN_SECOND_SHARE = 0.5  # the same, for a hedge second among the sentences found
HEDGE_POOL = 2  # the best sentences a hedge is weighed among
# A hedge on whether something is so ("Whether X ... could not be confirmed") answers a yes or
# no question about it: the two name at least this many of its specific words.
WHETHER_RE = re.compile(r"\W*whether\b", re.I)
WHETHER_SHARED = 2
# A hedge saying that the very detail asked of the thing named is not known ("the second
# corrective's title and content", "outcome figures for the Alliance") answers from a little
# further down, when the sentences above it name the thing without that detail
# (``_details_unsaid``).
DETAIL_HEDGE_POOL = 4
DETAILS = word_rows("details")  # cues.toml
WORDING = DETAILS[:2]  # its first two rows: what a thing is called, and what it says or holds
DETAIL_STEMS = frozenset(t for row in rows("details") for word in row for t in tokens(word))


def _same_detail(question: str, subject: str, rows: list[re.Pattern[str]] = DETAILS) -> bool:
    """Whether the question asks for a kind of detail (of ``rows``) the hedge's subject names."""
    return any(p.search(question) and p.search(subject) for p in rows)


def _details_unsaid(above: list[Candidate], items: frozenset[str]) -> list[re.Pattern[str]]:
    """The kinds of detail no sentence of ``above`` speaks of, but for a hedge: what a thing
    is called or says always (naming it gives neither), and the others only where none of
    them gives the item asked (``items``: a sum, a count, a date)."""
    stating = [c.sentence for c in above if unknown_clause(c.sentence) is None]
    if any(s in items for s in stating):
        return WORDING
    return WORDING + [p for p in DETAILS[len(WORDING) :] if not any(p.search(s) for s in stating)]


def _other_detail(question: str, subject: str) -> bool:
    """Whether the hedge's subject names only kinds of detail the question does not ask for:
    "the date on which section 136 took parish councils out" does not answer "are parish
    councils covered?"."""
    named = [p for p in DETAILS if p.search(subject)]
    return bool(named) and not any(p.search(question) for p in named)


@dataclass(frozen=True)
class NamedIn:
    """Where the councils, bodies and laws a question names are spoken of: the rarest word of
    each name ("oldham"), and the documents about them."""

    words: frozenset[str]
    documents: frozenset[str]

    def speaks_of(self, candidate: Candidate) -> bool:
        if not self.words:
            return True
        return candidate.document in self.documents or bool(
            self.words & token_set(candidate.sentence)
        )


def _not_known(
    candidates: list[Candidate],
    q: set[str],
    idf: dict[str, float],
    names: set[str],
    specific: set[str] | None = None,
    named_in: NamedIn | None = None,
    asked_text: str = "",
    things: set[str] = frozenset(),
    undetailed: str = "",
    items: frozenset[str] = frozenset(),
) -> Candidate | None:
    """The sentence saying the sources do not give what the question asks, if the best
    sentences found say that (weights: corpus idf of the question's words).

    What is unknown must be what was asked about the things named, not only their names:
    "the Croydon case study page was not found" does not answer "what did Croydon do?".
    ``names`` are the stems of those things: the councils, bodies and laws the question names
    by a proper name (a concept it names, "the community right to buy", may be what is
    unknown), or, for a question asking what a concept is, every entity it names;
    ``specific`` the question's words everyday English seldom uses, and its concepts' words.
    ``named_in``: an unknown about someone else ("what Kibble contributed … is not known")
    does not answer a question about Oldham. ``asked_text``, the question, and ``things``, the
    stems of everything it names: a hedge about the kind of detail it asks of one of them
    answers it (``DETAILS``). ``undetailed``, a question asking no particular detail: a hedge
    about details it does not ask, and about nothing else, does not answer it. ``items``, the
    sentences found giving the item asked (a sum, a date)."""
    total = fsum(idf.get(t, 0.0) for t in q)
    if not total:
        return None

    def share(text: str) -> float:
        return fsum(idf.get(t, 0.0) for t in q & token_set(text)) / total

    asked_words = q - names
    asked_total = fsum(idf.get(t, 0.0) for t in asked_words)

    def asked_share(text: str) -> float:
        if not asked_total:
            return share(text)
        return fsum(idf.get(t, 0.0) for t in asked_words & token_set(text)) / asked_total

    pool = [c for c in candidates if c.rank < UNKNOWN_POOL]
    # No other sentence found about the things named may name more of what was asked of them:
    # then it is the answer. Naming the Plymouth Alliance again says nothing of its outcome
    # figures; a sentence about case studies in general says nothing of Croydon's.
    stated = max(
        (
            asked_share(c.sentence)
            for c in pool
            if unknown_clause(c.sentence) is None and (named_in is None or named_in.speaks_of(c))
        ),
        default=0,
    )
    # The words of the sentences that state something: a hedge naming an asked word none of
    # them uses ("the individual grounds of Schedule 8 are not listed") is about the very
    # detail asked, though a sentence on the rule itself names more of the question.
    stating: set[str] = set()
    for c in pool:
        if unknown_clause(c.sentence) is None:
            stating.update(tokens(c.sentence))
    specific_asked = asked_words & (q if specific is None else specific)
    for position, candidate in enumerate(pool[:DETAIL_HEDGE_POOL]):
        clause = unknown_clause(candidate.sentence)
        if clause is None or (named_in is not None and not named_in.speaks_of(candidate)):
            continue
        subject = unknown_subject(clause)
        subject_words = token_set(subject)
        # A hedge saying what is unknown of "that quote" is about what the sentence quoted
        # before it names: its words count with the hedge's.
        leaning = leans(clause)
        about = candidate.sentence if leaning else clause
        if undetailed and all(
            _other_detail(undetailed, unknown_subject(c))
            for c in hedged_clauses(candidate.sentence)
        ):
            continue
        if (
            asked_text
            and (
                things & (token_set(about) if leaning else subject_words)
                # In a document about what the question names by a proper name, a hedge on
                # the very detail asked ("the wording of each of the eight outcomes") is
                # about it, named or not.
                or (
                    named_in is not None
                    and named_in.words
                    and candidate.document in named_in.documents
                    # and of what it asks the detail of: not "the date the service began"
                    # for the date a contract was awarded
                    and bool(subject_words & asked_words - DETAIL_STEMS)
                )
            )
            and _same_detail(
                asked_text,
                subject,
                DETAILS if position < HEDGE_POOL else _details_unsaid(pool[:position], items),
            )
        ):
            # The detail asked of the thing named is what the hedge says is not known, in
            # other words: "the wording of corrective 2", "its title and content".
            return candidate
        if position >= HEDGE_POOL:
            continue
        if (
            undetailed
            and WHETHER_RE.match(clause)
            and len(specific_asked & token_set(clause)) >= WHETHER_SHARED
        ):
            # "Whether the proposals have been made into regulations could not be confirmed"
            # answers "has the new fair deal been brought in yet?": the yes or no asked.
            return candidate
        named = share(about)
        if named >= UNKNOWN_FIRST_SHARE and (specific_asked & subject_words - stating):
            return candidate
        if named < (UNKNOWN_FIRST_SHARE if position == 0 else UNKNOWN_SECOND_SHARE):
            continue
        if asked_share(about) < stated:
            continue
        # Unknown is what was asked, in a word more specific than "actually" or "use".
        if asked_words & (q if specific is None else specific) & subject_words:
            return candidate
    return None


@lru_cache(maxsize=32_768)
def _not_prose(sentence: str) -> bool:
    """A signpost or a table row: never quoted (kept per sentence, as every answer asks)."""
    return SIGNPOST_RE.search(sentence) is not None or _table_row(sentence)


@lru_cache(maxsize=32_768)
def _holds(cue: re.Pattern[str], sentence: str) -> bool:
    """Whether the sentence holds the content a kind of question asks for (kept per sentence)."""
    return cue.search(sentence) is not None


def _table_row(sentence: str) -> bool:
    """A row of a Markdown table, flattened to cells joined by semicolons: not prose."""
    cells = sentence.split("; ")
    return len(cells) >= 3 and sum(len(c.split()) <= 6 for c in cells) >= len(cells) - 1


SKIPS_COMPETITION = section("question").skips_competition  # cues.toml
ALTERNATIVE_TO = section("question").alternative_to  # cues.toml
BACKING_POOL = 8  # a direct line is backed only by one of the best few sentences
HEDGED_RE = re.compile(r"^(inference|it is not known|the sources? do(es)? not)\b", re.I)


def _backing(
    candidates: list[Candidate],
    asked: Question,
    content: set[str],
    other_regime: set[str] = frozenset(),
) -> tuple[str, Candidate] | None:
    """The best sentence that says yes or no to the question: one about the rules for "is
    there a procurement issue?", else one sharing at least two of the question's content
    words. An inference the corpus hedges backs no direct answer. Among the best few, the
    rules of the regime that applies speak before another's: "can we reserve a contract for a
    mutual?", asked of a procurement starting now, is answered under the Act, not under the
    regulations it replaced."""
    needed = 0 if asked.asks is Asks.OBSTACLE else min(2, len(content))
    pool = sorted(candidates[:BACKING_POOL], key=lambda c: c.document in other_regime)
    for candidate in pool:
        if HEDGED_RE.match(candidate.sentence):
            continue
        if len(content & token_set(candidate.sentence)) < needed:
            continue
        words = lead_words(asked.asks, candidate.sentence)
        if words is None:
            continue
        # "Can we just give it to them?" is answered only by a sentence about awarding
        # without a competition, not by any permission or restriction nearby.
        # Any direct line to it is backed only by a sentence about such an award.
        skips = SKIPS_COMPETITION.search(asked.text)
        if skips and not SKIPS_COMPETITION.search(candidate.sentence):
            continue
        if not _on_the_action(candidate.sentence, asked.text):
            continue
        return words, candidate
    return None


def _on_the_action(sentence: str, question: str) -> bool:
    """Whether a sentence can back a direct yes or no on its own, about the action asked: it
    does not add to the point before it ("A parish council also gained ..." says nothing
    alone), and, when the question weighs one thing against another ("a grant instead of a
    contract"), it speaks of that other too; a sentence on grants alone says how grants work,
    not whether one may take a contract's place."""
    if leans(sentence):
        return False
    other = ALTERNATIVE_TO.search(question)
    return other is None or bool(token_set(other.group("other")) & token_set(sentence))


# "The Plymouth sources used here do not set out ...", in the sentence's first clause ("X, and
# the sources do not describe Y" states X): wider than the cues that decide an answer is not
# known, since here a wrong guess only moves a sentence back.
SAYS_MISSING_RE = re.compile(
    r"\bsources?\b[^.;:]{0,40}\b(do|does|did) not (say|give|set out|state|describe|record|"
    r"show|name|list)\b|\b(is|are|was|were) not (known|stated|recorded|given|clear|set out)\b",
    re.I,
)


def _hedges(candidate: Candidate) -> bool:
    """Whether the sentence says something is not known, or is an inference the corpus hedges:
    true to its source, but not the point of an answer while a sentence stating one remains.
    A sentence quoted with the one it leans on hedges when either does."""
    return _sentence_hedges(candidate.sentence)


@lru_cache(maxsize=32_768)
def _sentence_hedges(text: str) -> bool:
    """``_hedges`` of a quoted text, kept per text: every question's lead reads it again."""
    return any(
        HEDGED_RE.match(sentence) is not None
        or SAYS_MISSING_RE.search(re.split(r"[,;]", sentence, maxsplit=1)[0]) is not None
        or unknown_clause(sentence) is not None
        for sentence in (text[a:b] for a, b in sentence_spans(text))
    )


@dataclass(frozen=True)
class LeadOrder:
    """What the question asks of its lead: the things it names (``concepts``, the stems of
    each), and not the rules of a regime it is not about, known by their document
    (``documents``) or by that regime's name in the sentence's opening clause (``names``)."""

    concepts: tuple[frozenset[str], ...] = ()
    documents: frozenset[str] = frozenset()
    names: RegimeNames | None = None

    def missed(self, candidate: Candidate) -> int:
        """How many of the things the question names the sentence does not name."""
        words = token_set(candidate.sentence)
        return sum(not concept & words for concept in self.concepts)

    def elsewhere(self, candidate: Candidate) -> bool:
        """Whether the sentence gives the rules of a regime the question is not about."""
        if candidate.document in self.documents:
            return True
        if self.names is None:
            return False
        opening = re.split(r"[,;:]", candidate.sentence, maxsplit=1)[0]
        return (
            self.names.others.search(opening) is not None
            and self.names.asked.search(candidate.sentence) is None
        )


@dataclass(frozen=True)
class RegimeNames:
    """The names of the regimes a question names, and of the others."""

    asked_names: frozenset[str]
    other_names: frozenset[str]

    @property
    def asked(self) -> re.Pattern[str]:
        return _names_re(self.asked_names)

    @property
    def others(self) -> re.Pattern[str]:
        return _names_re(self.other_names)


@lru_cache(maxsize=64)
def _names_re(names: frozenset[str]) -> re.Pattern[str]:
    """Any of the names, whole words; one that matches nothing when there are none."""
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.compile(rf"\b({alternatives})\b" if names else r"(?!)")


def _goes_after(candidate: Candidate, order: LeadOrder) -> tuple[bool, bool, int, bool]:
    """Why a sentence yields the lead to another, most telling first: it is a fragment (the
    cells of a table row, a list item without its lead-in) or a conclusion, it hedges, it names fewer of the
    things asked about ("a framework", asked how long one may last), or it gives the rules of
    a regime the question is not about (the light touch regime of the 2015 regulations, asked
    about "the new act")."""
    return (
        _fragment(candidate.sentence) or _concludes(candidate.sentence),
        _hedges(candidate),
        order.missed(candidate),
        order.elsewhere(candidate),
    )


# "... may therefore still ...", "a parish council also gained ...": a conclusion drawn from,
# or an addition to, the sentence before, wherever the word.
CONCLUDES_RE = re.compile(
    r"\b(therefore|thus|hence|consequently|accordingly|as a result|also)\b", re.I
)


def lead_traits(sentence: str) -> tuple[bool, bool]:
    """Whether a sentence yields the lead whatever the question (a fragment or a conclusion;
    a hedge): read once per sentence when a build is loaded."""
    return _fragment(sentence) or _concludes(sentence), _sentence_hedges(sentence)


@lru_cache(maxsize=32_768)
def _concludes(sentence: str) -> bool:
    """Whether the sentence (the first, when quoted with the one it leans on) draws its point
    from one before it or adds to it: sound where it stands, but not a first sentence."""
    return CONCLUDES_RE.search(re.split(r"(?<=[.!?])\s", sentence, maxsplit=1)[0]) is not None


@lru_cache(maxsize=32_768)
def _fragment(sentence: str) -> bool:
    """Not a sentence: it opens in lower case or does not end as a sentence does."""
    return sentence[:1].islower() or re.search(r"[.!?…)\"”’]$", sentence.strip()) is None


def _first_lead(candidates: list[Candidate], order: LeadOrder) -> Candidate | None:
    """The best sentence of those that yield to none (candidates come best first)."""
    return min(candidates, key=lambda c: _goes_after(c, order), default=None)


def _defining(candidates: list[Candidate], term: str) -> Candidate | None:
    """A sentence that says what the term is: the term, then "is", "are" or "means"."""
    words = [w for w in re.findall(r"\w+", term.lower()) if len(w) > 2]
    if not words:
        return None
    for candidate in candidates[:8]:
        head = candidate.sentence.lower()
        verb = re.search(r"\b(is|are|means|refers to|describes|requires|obliges|places)\b", head)
        if verb is None or verb.start() > 0.6 * len(head):
            continue
        before = re.sub(r"^(the|a|an)\s+", "", head[: verb.start()])
        first = re.findall(r"\w+", before)[:1]
        if first and first[0] in words and sum(w in before for w in words) >= (len(words) + 1) // 2:
            return candidate
    return None


SAME_POINT = 0.5  # sentences sharing this share of their words (Jaccard) make the same point
SAME_POINT_WITHIN = 0.8  # or a sentence whose words are mostly within another's


def _choose(
    candidates: list[Candidate], limit: int, n_citations: int, lead: Candidate | None = None
) -> list[Candidate]:
    """The best sentences, one per passage and per document while others remain, and never
    the same point twice."""
    chosen: list[Candidate] = []
    passages: set[int] = {lead.n} if lead else set()
    documents: set[str] = {lead.document} if lead else set()
    said: list[frozenset[str]] = [token_set(lead.sentence)] if lead else []
    for candidate in candidates:
        if len(chosen) >= limit:
            break
        words = token_set(candidate.sentence)
        if any(_same_point(words, other) for other in said):
            continue
        if candidate.n in passages and n_citations > len(passages):
            continue  # prefer breadth: one sentence per passage while others remain
        if candidate.document in documents and any(
            c.document not in documents for c in candidates if c not in chosen
        ):
            continue  # and one per document while other documents have something to say
        chosen.append(candidate)
        passages.add(candidate.n)
        documents.add(candidate.document)
        said.append(words)
    return chosen


def _same_point(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= SAME_POINT * len(a | b) or shared >= SAME_POINT_WITHIN * min(len(a), len(b))


def _acts(sentence: str) -> bool:
    return KIND_CUES[Kind.CASE_STUDY].search(sentence) is not None


def _terminate(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if re.search(r"[.!?…)\"”’]$", sentence) else sentence + "."
