"""The particular item a question asks for, and whether a sentence found gives it.

"Who is the finance director of X?", "how much does X spend?", "when did X start?" ask for a
person, a sum, a date. Passages about X come back close in meaning and wording whether or not
the corpus states that item; what tells them apart is a sentence holding that kind of item, of
the thing named, about what was asked. The forms are one table, ``cues.toml`` ``[asked_for]``
(and ``time_asked``). The support evidence (``support.py``) carries the finding, and the answer
(``answer.py``) declines a question none of whose top sentences gives the item, unless the
sources say it is not known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache, lru_cache

from kg.entities import Mention
from kg.text import token_set, token_spans, tokens

from .answer import NamedIn, units
from .cues import AskedFor, asked_for, form_pattern, jurisdictions, rows, section, word_rows, words
from .question import asks_who_is
from .retrieve import Retrieval
from .snapshot import Snapshot

# The entities known by a proper name: a sentence giving what is asked of one names it.
PROPER_TYPES = {"council", "organisation", "body", "person", "partnership", "legislation", "regime"}


LAW_TYPES = {"legislation", "regime"}


def proper_names(snapshot: Snapshot, mentions: Iterable[Mention]) -> set[str]:
    """The stems of the councils, bodies and laws the question names by a proper name."""
    return {
        t
        for m in mentions
        if snapshot.entities.records[m.iri].type in PROPER_TYPES
        for t in tokens(m.surface)
    }


def name_stems(snapshot: Snapshot, mentions: Iterable[Mention]) -> set[str]:
    """The stems of everything the question names, as written and by each of its names: "SBI"
    in "no legal form for SBI" is Social Business International asked of."""
    stems: set[str] = set()
    for m in mentions:
        stems.update(tokens(m.surface))
        record = snapshot.entities.records.get(m.iri)
        if record is not None:
            for label in (record.label, *record.labels):
                stems.update(tokens(label))
    return stems


def named_in(snapshot: Snapshot, mentions: Iterable[Mention]) -> NamedIn:
    """Where what the question names by a proper name is spoken of: its rarest word, and the
    documents about it."""
    mentions = list(mentions)
    proper = [m.iri for m in mentions if snapshot.entities.records[m.iri].type in PROPER_TYPES]
    # By any of its names: "no legal form for SBI" speaks of Social Business International.
    other_names = {
        t
        for iri in proper
        for label in snapshot.entities.records[iri].labels
        if (stems := tokens(label))
        for t in [max(stems, key=lambda t: snapshot.idf.get(t, 0.0))]
    }
    return NamedIn(
        frozenset(distinctive_names(snapshot, mentions) | other_names),
        frozenset(
            snapshot.passages[row].document_id
            for iri in proper
            for row in snapshot.rows_about.get(iri, ())
        ),
    )


def distinctive_names(snapshot: Snapshot, mentions: Iterable[Mention]) -> set[str]:
    """For each council, body or law the question names, the stem of its name the corpus uses
    least: "oldham" of "Oldham Council", which a sentence about "member councils" does not say."""
    out = set()
    for m in mentions:
        stems = tokens(m.surface)
        if stems and snapshot.entities.records[m.iri].type in PROPER_TYPES:
            out.add(max(stems, key=lambda t: snapshot.idf.get(t, 0.0)))
    return out


ASKED_FOR = asked_for()  # cues.toml [asked_for]
TIME_ASKED = section("question").time_asked  # cues.toml
NOW_ASKED = section("question").now_asked  # "now", "these days"
PAST_TOLD = section("question").past_told  # "was", "had earlier been"
OPENING_MODAL = section("question").opening_modal  # "can we ...", "is it allowed ..."
ASIDES = section("question").asides  # "at the moment", "please": no part of the relation
# Where a question's first part ends; "and" inside a name ("Cheshire West and Chester") does
# not end it, nor "or" between two words for one thing ("income or turnover in 2024"): an
# "or" ends it when a question follows ("or do we have to tender?").
FIRST_CLAUSE = re.compile(
    r"\?|\s(?:[Aa]nd|[Bb]ut)\s(?![A-Z])|\s[Oo]r\s(?=(?:who|what|whats|when|where|which|how|why|"
    r"is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|must|may|might|"
    r"shall|not|just|we|i|they|it)\b)"
)


# A situation the asker sets out before the question ("our leisure trust is a council company -
# how much of its work ...?", "We're a parish council. When ...?"): the question starts after
# it. A topic put first ("Oldham's themes - who came up with it?") is what it asks of.
SITUATION = re.compile(
    r"^\W*(?:we|we're|we\u2019re|we've|we\u2019ve|our|i|i'm|i\u2019m|i've|my)\b"  # the asker
    r"[^?]*?(?:\s[-\u2013\u2014]\s|[.:;!]\s+)"  # says something of themselves, then
    r"(?=(?:who|whom|whose|what|whats|when|where|which|how|why|is|are|was|were|do|does|did|"
    r"can|could|may|might|should|must|will|would|has|have|had)\b)",  # asks
    re.I,
)


# A topic or a first question put before what is asked, and set off from it ("Steve Reed -
# which council ...?", "it has grown since 2019, what's it worth now?").
TOPIC_FIRST = re.compile(
    r"^[^?]{1,80}?(?:\s[-\u2013\u2014:]|,)\s+(?=(?:who|whom|whose|what|whats|when|where|which|how|why|"
    r"is|are|was|were|do|does|did|can|could|has|have|had)\b)",
    re.I,
)


DATED = {"date", "day"}  # kinds asking when, which a past event answers now as ever


# The words a question asks with ("what", "can we", "is there", "tell me"), as opposed to a
# search typed as a name of what is wanted ("oldham council total revenue budget").
ASKING_WORD = re.compile(
    r"\b(?:who|whom|whose|what|whats|when|where|which|why|how)\b|"
    r"(?:^|[,.;:!?\u2013\u2014-])\W*(?:is|are|was|were|do|does|did|can|could|may|might|should|"
    r"must|will|would|shall|has|have|had|am|tell|explain|describe|list|give|show|define|compare|"
    r"any)(?:n't|n\u2019t|nt)?\b",
    re.I,
)
# A search typed into the box is a few words; a longer clause without a question ("our legal
# officer wonders whether a loan at the bank's rate is a subsidy") tells a situation, and a
# measure it names ("rate") is not what it asks for.
SEARCH_WORDS = 12
# What such a search names as the measure it wants ("total annual revenue budget", "interest
# rate"), as opposed to a topic ("section 75 pooled budget").
NAMED_MEASURE = re.compile(
    r"\b(?:total|annual|yearly|maximum|minimum|max|min|number|rate|value|turnover|fee|fees|"
    r"cost|costs|price|salary|split|weighting|population|headcount|size|amount|percentages?|"
    r"targets?|allocation|timescale|duration|role|count|tally|stats|statistics|numbers)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def items_asked(question: str) -> tuple[str, tuple[tuple[str, AskedFor], ...]]:
    """The question's first clause after any situation set out before it, and the items it
    asks for with the words asking each. Kept per question: the answer, the support decision
    and the graph's figures each ask it."""
    clause = FIRST_CLAUSE.split(SITUATION.sub("", question, count=1), maxsplit=1)[0]
    found = kinds_asked(clause)
    # "Steve Reed - which council was he leading?", "has it gone up, what's it worth now?": a
    # topic or a first question, then the question, which asks as it would alone; the topic
    # stays part of the clause, as what it asks of.
    if not found and (asked := after_topic(clause)) != clause:
        found = kinds_asked(asked)
    if (
        not found
        and not ASKING_WORD.search(clause)
        and len(clause.split()) <= SEARCH_WORDS
        and NAMED_MEASURE.search(clause)
    ):
        # "Oldham council total revenue budget", "interest rate on the loans": a search typed
        # as a name of what is wanted asks what it is, as "what is ...?" would.
        found = kinds_asked(f"what is {clause}")
    return clause, tuple(found)


def after_topic(clause: str) -> str:
    """The clause after a topic or a first question put before what it asks ("Steve Reed -
    which council ...?": "which council ...?"), or the whole clause."""
    topic = TOPIC_FIRST.match(clause)
    return clause if topic is None else clause[topic.end() :]


def kinds_asked(clause: str) -> list[tuple[str, AskedFor]]:
    """The kinds of item the clause asks for, with the words asking each."""
    found = [
        (m.group(0), kind) for kind in ASKED_FOR.values() if (m := kind.question.search(clause))
    ]
    # "What does X spend?" asks for a sum, not any number: a narrower kind takes the place of
    # the kind it narrows, asked by the same words ("spend" is what is measured, not asked).
    words = {kind.name: w for w, kind in found}
    narrowed = {kind.narrows for _, kind in found if kind.narrows in words}
    # The narrower kind keeps the broader one's event: "what month did it start?" is dated
    # by a start.
    found = [
        (
            words[kind.narrows] if kind.narrows else w,
            replace(kind, event=ASKED_FOR[kind.narrows].event)
            if kind.narrows and not kind.event
            else kind,
        )
        for w, kind in found
        if kind.name not in narrowed and (kind.narrows is None or kind.narrows in words)
    ]
    # "What proportion of its spending ...?" asks for a share of a sum, given as a share.
    if any(kind.name == "share" for _, kind in found):
        found = [(w, kind) for w, kind in found if kind.name != "money"]
    # "What's the membership subscription?" asks for a sum, not whether there is a charge.
    if any(kind.name == "money" for _, kind in found):
        found = [(w, kind) for w, kind in found if kind.name != "charge"]
    # "Can we screen out any bidder that isn't a social enterprise or charity?" asks what may be
    # done, not which of the two something is.
    if OPENING_MODAL.search(clause):
        found = [(w, kind) for w, kind in found if kind.name != "legal_form"]
    # "What are the thresholds in euros?" asks for a sum in euros, which a sum in pounds is not.
    if any(kind.name == "other_currency" for _, kind in found):
        found = [(w, kind) for w, kind in found if kind.name not in SUMS]
    return found


SUMS = {"quantity", "money", "unit_cost"}  # kinds a sum in pounds gives


# Kinds of item a figure of the graph (a threshold and its dates) can give.
FIGURE_KINDS = SUMS | {"share", "count", "date", "day", "duration", "other_currency", "charge"}


def asks_other_than_figure(question: str) -> bool:
    """Whether the question asks for an item no figure gives: "which minister signed the
    thresholds regulations?" asks for a person, not the thresholds."""
    return any(kind.name not in FIGURE_KINDS for _, kind in items_asked(question)[1])


def asks_other_currency(question: str) -> bool:
    """Whether the question asks for a sum in a currency other than the pound ("in euros")."""
    return any(kind.name == "other_currency" for _, kind in items_asked(question)[1])


NUMBER = re.compile(r"\d[\d,.]*\d|\d")


WORD = re.compile(r"[^\W\d_]+(?:[\u2019'][^\W\d_]+)?")


def new_to(sentence: str, question: str) -> str:
    """The sentence without the numbers and words the question itself gives: "section 33" or
    "the 2022 policy" asks about the thing so numbered, "who is the CIC Regulator?" is not
    answered by "the CIC Regulator" again, and a sentence repeating them gives nothing asked."""
    own = set(NUMBER.findall(question))
    said = {w.lower() for w in WORD.findall(question)}
    # Blanked, not removed: what follows an item keeps its place (see ``gives``).
    sentence = NUMBER.sub(lambda m: blank(m) if m.group(0) in own else m.group(0), sentence)
    return WORD.sub(lambda m: blank(m) if m.group(0).lower() in said else m.group(0), sentence)


def blank(found: re.Match[str]) -> str:
    return " " * len(found.group(0))


def unnamed(snapshot: Snapshot, sentence: str, whole: str) -> str:
    """The sentence with the names the graph knows blanked, but for its people's, and the
    titles of laws (found in the ``whole`` sentence, before the question's words were blanked
    from it): what is left in capitals may be a person's name."""
    for m in snapshot.entities.find(sentence):
        if snapshot.entities.records[m.iri].type != "person":
            sentence = sentence[: m.start] + " " * (m.end - m.start) + sentence[m.end :]
    for m in LAW_TITLE.finditer(whole):
        sentence = sentence[: m.start()] + blank(m) + sentence[m.end() :]
    return sentence


# The title of a law or instrument the graph may not know ("the Procurement Act 2023
# (Threshold Amounts) (Amendment) (Wales) Regulations 2025"): its words in capitals name no one.
TITLE_WORDS = r"(?-i:[A-Z][\w'\u2019-]*)(?:\s+(?:(?-i:[A-Z][\w'\u2019-]*)|\d{4}|of|and|for|the|\([^()]{1,60}\)))*"
LAW_TITLE = re.compile(
    TITLE_WORDS + r"\s+(?:Act|Regulations|Order|Rules|Directive|Measure|Bill)\b(?:\s+\d{4})?"
)
# An instrument made under an Act, titled after it ("the Procurement Act 2023 (Threshold
# Amounts) (Amendment) (Wales) Regulations 2025"): its title does not name the Act as what a
# sentence speaks of, unless the question asks of regulations.
INSTRUMENT = re.compile(TITLE_WORDS + r"\s+(?:Regulations|Order|Rules)\b(?:\s+\d{4})?")
ASKS_INSTRUMENT = re.compile(r"\b(?:regulations?|regs?|order|rules|si|instruments?)\b", re.I)


# A relation word lighter than this (idf damped for everyday English: "use", "year", "apply",
# "actually", and words a passage says otherwise, such as "borough" for "Oldham") is said in
# too many ways, or says too little, to be required of the passage.
KEY_WEIGHT = 4.0
# What a role asked for is of ("the board" of "who chairs the board?") is said by the sentence
# naming its holder, as one word of the question besides the role: a lighter word will do.
ROLE_OF_WEIGHT = 3.0
# "Welsh", "Scottish": a place's law, which a sentence names in other forms ("in Wales").
PLACE_WORDS = frozenset(
    t for forms in sum(jurisdictions(), []) for form in forms for t in tokens(form)
)


def key_word(
    snapshot: Snapshot,
    relation: set[str],
    weight: Callable[[str], float] | None,
    least: float = KEY_WEIGHT,
) -> str | None:
    """The word of the relation asked that a sentence giving the item must say: the heaviest
    the corpus knows ("board" of "who chairs the board?", "octavo" of "what is the octavo
    partnership worth?"), or None when none is specific enough. A word the corpus never uses
    cannot be said by any sentence, and is left to the support decision; a year asked of is
    read apart."""
    if weight is None:
        return None
    known = [
        t
        for t in relation
        if t in snapshot.idf
        and len(t) > 2
        and not t.isdigit()
        and t not in PLACE_WORDS
        and weight(t) >= least
    ]
    return max(known, key=lambda t: (weight(t), t)) if known else None


def bound_to(
    snapshot: Snapshot,
    sentence: str,
    anchors: list[tuple[int, int]],
    own: set[str],
    types: set[str],
) -> bool:
    """Whether, of the things of the kinds the question names by a proper name (``types``:
    councils, bodies, laws), the one named closest to one of the ``anchors`` (the spans of the
    relation or event words) is one the question names (``own``, by IRI, so "the PSR" is
    the Provider Selection Regime asked of): in "Cllr
    Gittins, Leader of Cheshire West and Chester Council, ... lead officer at Oldham Council"
    the leader is Cheshire West's, not Oldham's. Other kinds are not read: the charities of
    "Oldham's consortium" are named beside the word, being the answer. A sentence naming none
    is not read this way."""
    named = [
        m
        for m in snapshot.entities.find(sentence)
        if snapshot.entities.records[m.iri].type in types
    ]
    if not named or not anchors:
        return True

    def gap(m: Mention, start: int, end: int) -> int:
        return max(m.start - end, start - m.end, 0)

    return any(min(named, key=lambda m: gap(m, a, b)).iri in own for a, b in anchors)


def item_giving(
    snapshot: Snapshot,
    result: Retrieval,
    names: set[str],
    proper: set[str],
    top: int = 3,
    weight: Callable[[str], float] | None = None,
) -> tuple[bool, frozenset[str]]:
    """Whether the question asks for a particular item, and the top sentences that give it
    about what it asks, the best of which an answer leads with: for "how many residents does X have?" a sentence with a number that also names X and
    speaks of what is counted (a word of the question beyond its names and asking words), not
    any figure near X; for "when did X start / stop?" one that speaks of an event of that kind
    (a start, an end, coming into force), in any words: the award date beside the start of a
    service does not date its start. Asked of a year ("in 2026"), the sentence is of that year.
    Only the question's first clause is read for what it asks; None when that asks for no
    particular item; ``top`` passages are read.

    ``names`` are the stems of everything the question names; ``proper`` the distinctive stem
    of each council, body and law among them (``distinctive_names``), one of which the
    sentence must name too: "Oldham" is not said otherwise ("council" is said of any council),
    while "a charity" is, by a sentence on subsidies to one. With ``weight`` (how specific a
    word is), the passage (or its document's title) must also say the relation's heaviest word
    (``key_word``), and the
    council, body or law named closest to that word or to the event must be the one asked of
    (``bound_to``).

    Questions naming something the corpus covers but asking a fact it does not state get
    passages about the thing named, close in meaning and wording; only the absence of the
    asked-for kind of content, about the asked-for relation, tells them apart."""
    clause, kinds = items_asked(result.question)
    named_types = {snapshot.entities.records[m.iri].type for m in result.mentions}
    kinds = [
        (w, k)
        for w, k in kinds
        if (k.of is None or k.of in named_types)
        and not (k.people and "person" in named_types and asks_who_is(clause))
    ]
    if not kinds:
        return False, frozenset()
    events = [e for _, k in kinds for e in asked_events(k, clause)]
    # "Who runs X?": the doing asked of is the asking, said otherwise by a sentence naming who.
    bodies = [
        m.group(0)
        for _, k in kinds
        if k.bodies and (m := k.bodies.search(clause) or k.bodies.search(after_topic(clause)))
    ]
    # "Which council was he leading?" is answered by a council, not by a party or a charity.
    bodies_asked = (
        frozenset({"council"})
        if any(ASKED_COUNCIL.search(b) for b in bodies)
        else frozenset(BODY_TYPES)
    )
    own = {m.iri for m in result.mentions}
    proper_own = {i for i in own if snapshot.entities.records[i].type in PROPER_TYPES}
    # The asking words, and the words for an event ("begin"), which a sentence may say otherwise.
    asking = {t for words, _ in kinds for t in tokens(words)}
    asking |= {t for words in bodies for t in tokens(words)}
    asking |= event_words(events, clause)
    question_words = set(result.query_tokens)
    # "At the moment", "please": no part of what is asked, nor of what a sentence repeats.
    plain_clause = ASIDES.sub(" ", clause)
    relation = (token_set(plain_clause) & question_words) - names - asking
    # "How many Croydon schools?" counts schools: "One Croydon" counts no school.
    counts = {k.name: counted_words(clause, words) - names for words, k in kinds if k.counted}
    people_asked = any(k.people for _, k in kinds)
    # "How long is the standstill?": the standstill named is what is measured.
    measured_of = names & question_words if any(k.of_named for _, k in kinds) else set()
    years = {m.group("year") for m in TIME_ASKED.finditer(clause)}
    # What someone or something is or has now is not told in the past tense, nor by what it
    # had at first ("worth £7.7m in its first year").
    now = NOW_ASKED.search(clause) is not None and not any(k.name in DATED for _, k in kinds)
    named = proper & question_words
    instruments_asked = ASKS_INSTRUMENT.search(clause) is not None
    # Asked how long something lasts under a law, a passage names the law once and its sections
    # after ("under the new Act": "section 33 ... no more than five years").
    laws_only = (
        bool(proper_own)
        and all(snapshot.entities.records[i].type in LAW_TYPES for i in proper_own)
        and any(k.of_named for _, k in kinds)
    )
    # By any of its names, even inside a provision's ("section 106 of the Procurement Act").
    law_named = (
        form_pattern(
            [
                label
                for i in proper_own
                for label in [
                    snapshot.entities.records[i].label,
                    *snapshot.entities.records[i].labels,
                ]
            ]
        )
        if laws_only
        else None
    )
    # Asked of someone named, the sentence names them: "when did Rebekah Sutcliffe start?" is
    # not dated by a sentence on Oldham's chief executive.
    person = {
        t
        for m in result.mentions
        if snapshot.entities.records[m.iri].type == "person"
        for t in tokens(m.surface)
    }
    types = {
        snapshot.entities.records[m.iri].type
        for m in result.mentions
        if snapshot.entities.records[m.iri].type in PROPER_TYPES
    }
    # The words asking for the item in its own form ("what proportion", "how much ... worth")
    # are not said by a sentence giving it ("40%", "£700m").
    forms = {t for _, k in kinds for m in k.question.finditer(clause) for t in tokens(m.group(0))}
    # "Who chairs the board?" asks for the holder of a role: a sentence names them in it
    # (``holds_role``), and says what of ("board"), the role's words aside.
    roles = [r for r in ROLES if r.search(clause)]
    forms |= {t for r in roles for m in r.finditer(clause) for t in tokens(m.group(0))}
    key = key_word(snapshot, relation - forms, weight)
    # "How long does a group get once the building is up for sale?": the span is of what the
    # question names, said in whatever words ("wants to sell"); a passage saying the key word
    # ("how long a lease": "a long lease") is preferred, not required.
    key_preferred = all(k.of_named for _, k in kinds)
    keyed: set[str] = set()  # the sentences giving the item whose passage says the key word
    role_of = key_word(snapshot, relation - forms, weight, ROLE_OF_WEIGHT) if roles else None

    def law_said(sentence: str, row: int) -> bool:
        """Whether the sentence names the law asked of, or names no law and its passage (or
        the passage's document title) names it: "section 33 ... no more than five years" in
        a passage on the Procurement Act 2023, not "PCR 2015 took effect ..." in one that
        names the PSR too."""
        assert law_named is not None
        if law_named.search(sentence):
            return True
        laws = [
            snapshot.entities.records[m.iri].label
            for m in snapshot.entities.find(sentence)
            if snapshot.entities.records[m.iri].type in LAW_TYPES
        ]
        if laws:  # "section 33" is the Procurement Act 2023's, by its label
            return any(law_named.search(label) for label in laws)
        passage = snapshot.passages[row]
        return bool(law_named.search(f"{passage.title}\n{passage.text}"))

    # When the question names by a label something passages are linked to, the item is of what
    # it names: given in a document that speaks of it (by any of the names the question uses).
    # Everyday words alone ("co-op") name too much to ask it.
    linked = {
        m.iri
        for m in result.mentions
        if not snapshot.entities.is_colloquial(m)
        and (snapshot.rows_mentioning.get(m.iri) or snapshot.rows_about.get(m.iri))
    }
    giving: set[str] = set()
    listed: dict[str, int] = {}  # for "who runs X?", how many other bodies a sentence names

    @cache  # a passage read around each of its sentences is read once
    def names_own(text: str) -> bool:
        """Whether the text names what was asked of by any of its labels."""
        return bool(proper_own & named_iris(snapshot, text))

    for h in result.hits[:top]:
        if linked and not own & entities_of_document(
            snapshot, snapshot.passages[h.row].document_id
        ):
            continue  # "Teckal judgment year": not the year of a judgment on something else
        text = snapshot.passages[h.row].text
        # The relation may be said by the passage around the sentence ("in the borough" ...
        # "spent locally"), or by the title of its document, which names what its sentences
        # speak of: "CCIN had 34 full council members" in the note on the "... Network".
        in_passage = token_set(text)
        around_title = token_set(snapshot.passages[h.row].title)
        around_key = around_title | in_passage
        # Who runs or belongs to X is listed in the sentence after the one saying what X does:
        # the passage names X and says it.
        around = in_passage if bodies else None
        around_text = text if bodies else None
        for _, sentence in units(text):
            words = token_set(sentence)
            said = around or words
            if person and not person & words:
                continue
            if named:
                naming = sentence if instruments_asked else INSTRUMENT.sub(blank, sentence)
                if (
                    not named & (around or token_set(naming))
                    and not names_own(around_text or naming)
                    and not (law_named is not None and law_said(naming, h.row))
                ):
                    continue  # "CCIN" names the Co-operative Councils' Innovation Network too
            if around_text is not None and not named_apart(snapshot, around_text, proper_own):
                continue  # "partners A, B, X and C" says nothing of who runs X
            has_key = key is None or bool(({key} | same_things({key})) & around_key)
            if not has_key and not key_preferred:
                continue
            if role_of is not None and role_of not in words | around_title:
                continue  # the chair of the board, not of a webinar the passage also names
            if events:  # "when did it start?" is dated by a start, not by any date near it
                anchors = [m.span() for e in events for m in e.finditer(sentence)]
                related = bool(anchors)
            else:
                related = (
                    not relation
                    or bool((relation | same_things(relation) | measured_of) & said)
                    # or all of it by the sentence and the title of its document, which names
                    # what its sentences speak of ("Oldham's social prescribing ...")
                    or relation - forms <= said | around_title
                    # "who came up with it?": "it was Steve Reed's idea", the role in its words
                    or any(r.search(sentence) for r in roles)
                )
                anchors = [(a, b) for a, b, t in token_spans(sentence) if t == key]
            # "Who leads Oldham Council?": the council named closest to "Leader" is Oldham.
            anchors += [m.span() for r in roles for m in r.finditer(sentence)]
            # "How many partners does Stone King have?": the body named nearest the count is
            # the one counted of ("E3M ... one of its two core partners").
            anchors += [
                m.span() for _, k in kinds if k.counted for m in k.sentence.finditer(sentence)
            ]
            if not related or not years <= set(re.findall(r"\d+", sentence)):
                continue  # "how many members in 2026?" is not answered by 2022's count
            if now and PAST_TOLD.search(sentence):
                continue  # "what job does she have now?": not "the lead was Liz Perfect"
            if (
                named
                and weight is not None
                and not bound_to(snapshot, sentence, anchors, own, types)
            ):
                continue
            if bodies and (
                count := bodies_named(snapshot, sentence, own, question_words, bodies_asked)
            ):
                giving.add(sentence)
                listed[sentence] = count
                continue
            given = new_to(sentence, plain_clause)  # "these days": not of "30 days"
            # For a person asked for, the names the graph knows are blanked too, once.
            of_people = unnamed(snapshot, given, sentence) if people_asked else given
            if any(
                gives(
                    k,
                    of_people if k.people else sentence if k.in_question_words else given,
                    sentence,
                    counts.get(k.name, frozenset()),
                )
                and (
                    k.name != "money"
                    or (measured(clause, text, sentence) and same_period(clause, sentence))
                )
                and not (
                    k.holder and roles and not holds_role(k.holder, roles, sentence, of_people)
                )
                for _, k in kinds
            ):
                giving.add(sentence)
                if has_key:
                    keyed.add(sentence)
    if key_preferred:
        giving = keyed or giving
    if events:
        # "When did it come into force?" is dated first by a coming into force, not by the
        # royal assent beside it: of the sentences giving the date, those saying the event in
        # the question's words.
        said = event_words(events, clause)
        giving = {g for g in giving if said & event_words(events, g)} or giving
    if listed:
        # "Which organisations deliver it?" is answered by the sentence listing them, not by
        # one naming a single body ("according to CCIN, it is delivered by eight members").
        most = max(listed.values())
        giving = {g for g in giving if listed.get(g, 0) == most}
    return True, frozenset(giving)


def entities_of_document(snapshot: Snapshot, document: str) -> frozenset[str]:
    """The entities some passage of the document mentions or is about."""
    kept = snapshot.cache.get("entities_of_document")
    if kept is None:
        found: dict[str, set[str]] = {}
        for table in (snapshot.rows_mentioning, snapshot.rows_about):
            for iri, rows in table.items():
                for row in rows:
                    found.setdefault(snapshot.passages[row].document_id, set()).add(iri)
        kept = snapshot.cache["entities_of_document"] = {
            d: frozenset(iris) for d, iris in found.items()
        }
    return kept.get(document, frozenset())


def asked_events(kind: AskedFor, clause: str) -> list[re.Pattern[str]]:
    """The kinds of event the clause asks of, for an item of ``kind``: each it names, or the
    first alone (``one_event``)."""
    found = [(m.start(), e) for e in kind.event if (m := e.search(clause))]
    if kind.one_event:
        found = sorted(found, key=lambda f: f[0])[:1]
    return [e for _, e in found]


def event_words(events: list[re.Pattern[str]], text: str) -> set[str]:
    """The stems of the words for an event ("came into force") the text says."""
    return {t for e in events for m in e.finditer(text) for t in tokens(m.group(0))}


ROLES = word_rows("roles")  # cues.toml
SAME_THING = [frozenset(t for w in row for t in tokens(w)) for row in rows("same_thing")]


def same_things(stems: set[str]) -> set[str]:
    """The stems of the other everyday words for the things the stems name ("contract" for
    "deal"), by cues.toml [same_thing]."""
    return {t for row in SAME_THING if row & stems for t in row}


# Characters between a role and the name of its holder ("Bland is Managing Director").
ROLE_REACH = 40


def holds_role(
    holder: re.Pattern[str], roles: list[re.Pattern[str]], sentence: str, given: str
) -> bool:
    """Whether the sentence names a person in a role asked for: it says the role, and a name
    besides the role's own words ("the Secretary of State" names no one)."""
    spans = [m.span() for r in roles for m in r.finditer(sentence)]
    if not spans:
        return False
    for r in roles:
        given = r.sub(blank, given)
    # Named in the role, not elsewhere in the sentence: "names Cllr Gittins, Leader of Cheshire
    # West, as Lead Member and CCIN Chair, and places CCIN's lead officer at Oldham" names no
    # lead officer.
    return any(
        max(name.start() - end, start - name.end()) <= ROLE_REACH
        for name in holder.finditer(given)
        for start, end in spans
    )


MEASURES = word_rows("measures")  # cues.toml


def measured(clause: str, passage: str, sentence: str) -> bool:
    """Whether the passage giving a sum speaks of what the question's sum measures, when it
    names one: "what is the alliance worth?" is given by a value ("the sources disagree on
    the value …: £1.25m over three years"), not by "savings of £12m a year". A sentence
    naming its sum's measure names the one asked: "what does it cost to subscribe?" is not
    given by "£19bn of budgets" in a passage that speaks of subscriptions elsewhere."""
    asked = [m for m in MEASURES if m.search(clause)]
    if not asked:
        return True
    said = [m for m in MEASURES if m.search(sentence)]
    return any(m.search(passage) for m in asked) and (not said or any(m in asked for m in said))


PERIODS = word_rows("periods")  # cues.toml


def same_period(clause: str, sentence: str) -> bool:
    """Whether the sentence's sum is of the period the question asks ("in total over ten
    years", "a year"), when both say one: a first year's value is no total."""
    asked = {i for i, p in enumerate(PERIODS) if p.search(clause)}
    given = {i for i, p in enumerate(PERIODS) if p.search(sentence)}
    return not asked or not given or bool(asked & given)


# Who may run, deliver or take part in something besides a person: a body, not a partnership,
# which is an arrangement between bodies ("the Children's Innovation Partnership" names no
# subcontractor of Barnardo's).
BODY_TYPES = {"council", "organisation", "body"}


# What joins the names of a list ("Buzzacott, Stone King, The Change Coefficient and Zurich").
LIST_JOIN = re.compile(r"^\s*(?:,|;|&|and|or|,\s*and|,\s*or)\s*(?:the\s+)?$", re.I)
# What puts a name beside another's as its peer ("one of its two core partners, alongside
# Zurich Municipal").
ALONGSIDE = re.compile(r"\b(?:alongside|together with|as well as)\s+(?:the\s+)?$", re.I)


def listed_names(
    snapshot: Snapshot, text: str, length: int = 2
) -> tuple[frozenset[str], frozenset[str]]:
    """The entities the text names by a proper name apart from any list, and those it names
    only in lists of ``length`` names or more; kept per text, as the passages are read for
    many questions."""
    kept = snapshot.cache.setdefault("listed_names", {})
    if (text, length) not in kept:
        found = sorted(
            (
                m
                for m in snapshot.entities.find(text)
                if snapshot.entities.records[m.iri].type in PROPER_TYPES
            ),
            key=lambda m: m.start,
        )
        # Runs of names joined as a list; a run of ``length`` or more is a list of peers.
        runs: list[list[int]] = []
        for i, m in enumerate(found):
            if i and LIST_JOIN.match(text[found[i - 1].end : m.start]):
                runs[-1].append(i)
            else:
                runs.append([i])
        in_list = {i for run in runs if len(run) >= length for i in run}
        listed = [
            i in in_list or ALONGSIDE.search(text[max(0, m.start - 30) : m.start]) is not None
            for i, m in enumerate(found)
        ]
        kept[text, length] = (
            frozenset(m.iri for m, inlist in zip(found, listed, strict=True) if not inlist),
            frozenset(m.iri for m, inlist in zip(found, listed, strict=True) if inlist),
        )
    return kept[text, length]


def named_apart(snapshot: Snapshot, text: str, own: set[str]) -> bool:
    """Whether the text names one of ``own`` other than only as one of a list of names: "E3M
    built it with its partners Buzzacott, Stone King, The Change Coefficient and Zurich
    Municipal" lists The Change Coefficient among its peers, and says nothing of who runs it.
    Names the question does not give (``own`` empty) are not read this way."""
    if not own:
        return True
    apart, listed = listed_names(snapshot, text)
    return bool(own & apart) or not own & listed


def named_iris(snapshot: Snapshot, text: str) -> set[str]:
    """The entities the text names, by any of their labels."""
    return {m.iri for m in snapshot.entities.find(text)}


ASKED_COUNCIL = re.compile(r"\bcouncils?\b", re.I)  # "which council ...?" asks for a council


def bodies_named(
    snapshot: Snapshot,
    sentence: str,
    own: set[str],
    asked: set[str],
    kinds: frozenset[str] = frozenset(BODY_TYPES),
) -> int:
    """How many councils, organisations and other bodies the sentence names other than those
    the question names (``own``, by IRI, or for a council by a word of its name other than
    the kind of council among ``asked``, the stems of its words: "Plymouth City Council" for
    "the Plymouth alliance"), and other than those it cites as its source
    ("according to CCIN", "E3M's case study"): "who runs the alliance?" is answered by its
    members, not by the alliance's name again, nor by who wrote about it."""
    return len(
        {
            m.iri
            for m in snapshot.entities.find(sentence)
            if m.iri not in own
            and snapshot.entities.records[m.iri].type in kinds
            and not (
                snapshot.entities.records[m.iri].type == "council"
                and (token_set(m.surface) - GENERIC_NAME_WORDS) & asked
            )
            and not cited_as_source(sentence, m)
        }
    )


# The words of a body's name that say what kind of body it is, not which.
GENERIC_NAME_WORDS = frozenset(t for word in words("name_kinds") for t in tokens(word))
SOURCES = section("sources")  # cues.toml: where a sentence says it comes from


def cited_as_source(sentence: str, mention: Mention) -> bool:
    """Whether the sentence names the body as where it comes from, not as what it is about."""
    return bool(
        SOURCES.before.search(sentence[: mention.start])
        or SOURCES.after.match(sentence[mention.end :])
    )


COUNTED_WITHIN = 4  # words between a count and what it counts ("40 member councils")


# Words after "how many X" that begin what is said of X, not X itself ("how many people
# work there?" counts people, not work).
COUNT_ENDS = re.compile(
    r"^(do|does|did|are|is|were|was|have|has|had|can|could|will|would|should|work|works|worked|"
    r"live|lives|lived|get|got|use|used|take|took)$",
    re.I,
)


def counted_words(clause: str, asking: str) -> frozenset[str]:
    """The stems of what a "how many" question counts: the two words after its asking words,
    up to a verb."""
    after = clause[clause.lower().find(asking.lower()) + len(asking) :] if asking else ""
    words = after.split()[:2]
    if len(words) == 2 and COUNT_ENDS.match(words[1]):
        words = words[:1]
    return token_set(" ".join(words))


def gives(kind: AskedFor, given: str, sentence: str, counted: frozenset[str]) -> bool:
    """Whether the sentence holds the item of the kind where it says something new (``given``:
    the sentence with the question's own words blanked, ``new_to``); for a count, one followed
    within a few words of the whole sentence by a word the question counts."""
    if not kind.counted:
        return kind.sentence.search(given) is not None
    for found in kind.sentence.finditer(given):
        # Within the phrase: "eight outcomes: Jobs, growth ..." counts outcomes, not jobs.
        after = CLAUSE_BREAK.split(sentence[found.end() :], maxsplit=1)[0]
        following = tokens(" ".join(after.split()[:COUNTED_WITHIN]))
        if counted & set(following):
            return True
    return False


CLAUSE_BREAK = re.compile(r"[:;()\u2013\u2014]|\s-\s")
