"""SPARQL Update requests as the SPARQL 1.1 Protocol and the service's rules shape them.

Pure text transforms over a small tokenizer (strings, IRIs and comments are never touched):

- ``with_protocol_dataset``: the Protocol's ``using-graph-uri`` / ``using-named-graph-uri``
  become ``USING`` / ``USING NAMED`` clauses of every operation with a WHERE clause; combined
  with ``USING`` or ``WITH`` in the request itself they are an error (Protocol §2.2.3).
- ``check_allowed``: ``LOAD`` would make the server fetch a URL on a client's behalf, like a
  federated ``SERVICE`` query: refused.
- ``onto_graph``: on a remote store the service's default graph is one named graph (the build's);
  an update's default graph is mapped onto it, and ``NAMED``/``ALL`` onto the graphs the service
  shows, so an update changes exactly what the service's queries read and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sparql import SparqlError

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[^\s{}()\[\];,.'"<>\#]+(?:\.[^\s{}()\[\];,.'"<>\#]+)*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string | iri | word | punct
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no white space, no comments)."""
    return [
        Token(m.lastgroup, m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def _depths(tokens: list[Token]) -> list[int]:
    """The brace depth each token stands at (a brace counts at the depth outside it)."""
    depths, depth = [], 0
    for t in tokens:
        if t.kind == "punct" and t.text == "}":
            depth -= 1
        depths.append(depth)
        if t.kind == "punct" and t.text == "{":
            depth += 1
    return depths


def _block_end(tokens: list[Token], depths: list[int], open_index: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``open_index``."""
    for i in range(open_index + 1, len(tokens)):
        if depths[i] == depths[open_index] and tokens[i].text == "}":
            return i
    raise SparqlError("malformed SPARQL update: a '{' is never closed")


def _operations(tokens: list[Token], depths: list[int]) -> list[tuple[int, int]]:
    """(first, last+1) token indexes of each operation, prologue included."""
    ops, first = [], 0
    for i, t in enumerate(tokens):
        if depths[i] == 0 and t.kind == "punct" and t.text == ";":
            ops.append((first, i))
            first = i + 1
    if first < len(tokens):
        ops.append((first, len(tokens)))
    return ops


def _verb(tokens: list[Token], first: int, last: int) -> int | None:
    """The index of an operation's first keyword, after its prologue (PREFIX, BASE)."""
    i = first
    while i < last:
        if tokens[i].is_word("PREFIX"):
            i += 3
        elif tokens[i].is_word("BASE"):
            i += 2
        else:
            return i
    return None


def check_allowed(update: str) -> None:
    for t in tokenize(update):
        if t.is_word("LOAD"):
            raise SparqlError(
                "LOAD is not allowed on this endpoint: the service fetches no URLs on a "
                "client's behalf; insert the data with INSERT DATA"
            )


def _edits_apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _where_clauses(tokens: list[Token], depths: list[int]) -> list[int]:
    return [i for i, t in enumerate(tokens) if depths[i] == 0 and t.is_word("WHERE")]


def _delete_where_edit(
    text: str, tokens: list[Token], depths: list[int], where: int, clauses: str
) -> tuple[int, int, str]:
    """``DELETE WHERE {P}`` as ``DELETE {P} <clauses> WHERE {P}`` (the short form takes no
    dataset clauses; the long one means the same)."""
    end = _block_end(tokens, depths, where + 1)
    pattern = text[tokens[where + 1].start : tokens[end].end]
    return tokens[where].start, tokens[end].end, f"{pattern} {clauses}WHERE {pattern}"


def with_protocol_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the Protocol's dataset parameters as USING / USING NAMED clauses."""
    if not using and not using_named:
        return update
    tokens = tokenize(update)
    if any(t.is_word("USING", "WITH") for t in tokens):
        raise SparqlError(
            "using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH in "
            "the update itself (SPARQL 1.1 Protocol §2.2.3)"
        )
    clauses = "".join(f"USING <{g}> " for g in using)
    clauses += "".join(f"USING NAMED <{g}> " for g in using_named)
    depths = _depths(tokens)
    edits = []
    for i in _where_clauses(tokens, depths):
        if i > 0 and tokens[i - 1].is_word("DELETE"):
            edits.append(_delete_where_edit(update, tokens, depths, i, clauses))
        else:
            edits.append((tokens[i].start, tokens[i].start, clauses))
    return _edits_apply(update, edits)


def _triples_runs(tokens: list[Token], depths: list[int], open_i: int, close_i: int):
    """(first, last) token indexes of each run of plain triples inside a quad block, i.e. what
    is outside its ``GRAPH g { ... }`` parts."""
    i, run_start, runs = open_i + 1, None, []
    while i < close_i:
        t = tokens[i]
        if t.is_word("GRAPH") and depths[i] == depths[open_i] + 1:
            if run_start is not None:
                runs.append((run_start, i - 1))
                run_start = None
            i = _block_end(tokens, depths, i + 2) + 1
            if i < close_i and tokens[i].text == ".":
                i += 1
            continue
        if run_start is None:
            run_start = i
        i += 1
    if run_start is not None:
        runs.append((run_start, close_i - 1))
    return runs


def _modify_edits(
    text: str,
    tokens: list[Token],
    depths: list[int],
    span: tuple[int, int],
    target: str,
    named: list[str],
) -> list[tuple[int, int, str]]:
    """A DELETE/INSERT ... WHERE operation over the service's dataset: WITH the target graph
    for its templates (unless it names its own), and, unless it has USING clauses, its WHERE
    over that graph with exactly the shown named graphs (the server holds more)."""
    v, last = span
    edits = []
    own_with = tokens[v].is_word("WITH")
    if not own_with:
        edits.append((tokens[v].start, tokens[v].start, f"WITH {target} "))
    where = next((i for i in range(v, last) if depths[i] == 0 and tokens[i].is_word("WHERE")), None)
    if where is None:  # malformed: the store says where
        return edits
    if any(tokens[i].is_word("USING") for i in range(v, where)):
        return edits
    default = tokens[v + 1].text if own_with else target
    clauses = f"USING {default} " + "".join(f"USING NAMED <{g}> " for g in named)
    if tokens[where - 1].is_word("DELETE"):
        edits.append(_delete_where_edit(text, tokens, depths, where, clauses))
    else:
        edits.append((tokens[where].start, tokens[where].start, clauses))
    return edits


def onto_graph(update: str, graph: str, named: list[str]) -> str:
    """The update with its default graph mapped onto the named graph ``graph``, and NAMED / ALL
    onto the graphs ``named`` (every graph the service shows besides its default one)."""
    tokens = tokenize(update)
    depths = _depths(tokens)
    target = f"<{graph}>"
    edits: list[tuple[int, int, str]] = []
    for first, last in _operations(tokens, depths):
        v = _verb(tokens, first, last)
        if v is None:
            continue
        verb = tokens[v].text.upper()
        nxt = tokens[v + 1] if v + 1 < last else None
        if verb in ("INSERT", "DELETE") and nxt is not None and nxt.is_word("DATA"):
            close = _block_end(tokens, depths, v + 2)
            for a, b in _triples_runs(tokens, depths, v + 2, close):
                edits.append((tokens[a].start, tokens[a].start, f"GRAPH {target} {{ "))
                edits.append((tokens[b].end, tokens[b].end, " }"))
        elif verb in ("INSERT", "DELETE", "WITH"):
            edits += _modify_edits(update, tokens, depths, (v, last), target, named)
        elif verb in ("CLEAR", "DROP"):
            silent = nxt is not None and nxt.is_word("SILENT")
            which = tokens[v + 2] if silent else nxt
            if which is not None and which.is_word("DEFAULT", "NAMED", "ALL"):
                graphs = {"DEFAULT": [graph], "NAMED": named, "ALL": [graph, *named]}[
                    which.text.upper()
                ]
                ops = [f"{verb} SILENT GRAPH <{g}>" for g in graphs] or ["INSERT DATA { }"]
                edits.append((tokens[v].start, which.end, " ;\n".join(ops)))
        elif verb in ("ADD", "MOVE", "COPY"):
            for i in range(v + 1, last):
                if tokens[i].is_word("DEFAULT"):
                    edits.append((tokens[i].start, tokens[i].end, f"GRAPH {target}"))
    return _edits_apply(update, edits)
