"""The ``kg`` command: ingest, ask, search, sparql, serve.

Heavy imports (the encoder, FAISS, FastAPI) happen inside the commands that need them, so
``kg --help`` and ``kg sparql`` start quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from .config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "model", None):
        overrides["model"] = args.model
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    return Settings(**overrides)


def _kind(value: str) -> str:
    from kg.vocabulary import KINDS

    if value not in KINDS:
        raise argparse.ArgumentTypeError(f"'{value}' is no document kind ({', '.join(KINDS)})")
    return value


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.fetch import is_url
    from ingest.pipeline import IngestAborted, run
    from kg.build import BuildError

    settings = _settings(args)
    paths = [Path(p) for p in args.paths if not is_url(p)]
    urls = [p for p in args.paths if is_url(p)]
    try:
        report = run(
            settings,
            paths,
            strict=args.strict,
            urls=urls,
            sitemaps=args.sitemap or [],
            kind=args.kind,
            quiet=args.quiet,
        )
    except IngestAborted as exc:
        print(
            f"ingest aborted (--strict): {exc}\nthe previous build is still the one served",
            file=sys.stderr,
        )
        return 2
    except BuildError as exc:
        print(f"ingest failed: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 1 if report.rejected else 0


def _filters(args: argparse.Namespace):
    from search_api.core.retrieve import Filters

    return Filters(args.kind or [], args.council or [], args.route or [], args.regime or [])


def cmd_ask(args: argparse.Namespace) -> int:
    from search_api.core.service import Query, SearchService

    service = SearchService(_settings(args))
    result = service.ask(
        Query(args.question, args.k, args.mode, 0, _filters(args), args.as_of or dt.date.today())
    )
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(result["answer"]["text"])
    for note in result["regime_notes"]:
        marks = "".join(f"[{n}]" for n in note["citations"])
        print(f"\nWhich law applies: {note['text']} {marks}".rstrip())
    if result["citations"]:
        print()
        for c in result["citations"]:
            print(f"[{c['n']}] {c['title']} ({c['kind']}) {c['passage_id']}\n    {c['source_url']}")
    if result["nearest"]:
        print("\nNearest passages (they do not answer the question closely enough to cite):")
        for c in result["nearest"]:
            print(f"- {c['title']} ({c['kind']}) {c['passage_id']}\n    {c['source_url']}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from search_api.core.service import Query, SearchService

    service = SearchService(_settings(args))
    result = service.search(
        Query(
            args.query,
            args.k,
            args.mode,
            args.offset,
            _filters(args),
            args.as_of or dt.date.today(),
        )
    )
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for r in result["results"]:
        text = " ".join(r["text"].split())
        print(
            f"{r['n']:>2}. {r['score']:.4f} {r['passage_id']} — {r['title']}\n"
            f"    {text[:160]}{'…' if len(text) > 160 else ''}"
        )
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from .build import open_current
    from .similarity import texts_in
    from .sparql import SparqlError, execute
    from .store import open_store

    settings = _settings(args)
    query = args.query
    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    build = open_current(settings.data_dir)
    store = open_store(build)
    functions = None
    texts = texts_in(query)
    if texts:  # only a query that asks for semantic similarity pays for loading the model
        from .embed import Encoder
        from .similarity import PassageVectors

        encoder = Encoder.from_settings(settings)
        vectors = {t: encoder.encode_query(t) for t in texts}
        functions = PassageVectors.from_build(build.path, settings.id_base).functions(vectors)
    fmt = args.format
    accept = None if fmt else "text/tab-separated-values, text/turtle;q=0.9"
    try:
        result = execute(
            store,
            query,
            accept=accept,
            fmt=fmt,
            max_rows=settings.sparql_max_rows,
            custom_functions=functions,
        )
    except SparqlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.body.decode("utf-8"))
    if not result.body.endswith(b"\n"):
        sys.stdout.write("\n")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .build import GRAPH, open_current
    from .validate import validate

    settings = _settings(args)
    graph = Path(args.graph) if args.graph else open_current(settings.data_dir).file(GRAPH)
    report = validate(graph, settings.ontology_dir)
    print(report.format())
    return 0 if report.conforms else 1


def cmd_export(args: argparse.Namespace) -> int:
    from .build import open_current
    from .export import export
    from .store import open_store

    settings = _settings(args)
    store = open_store(open_current(settings.data_dir))
    body = export(store, args.format)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(body)
    else:
        Path(args.output).write_bytes(body)
        print(f"wrote {len(store)} triples to {args.output}", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from search_api.core.evaluate import load_questions, report
    from search_api.core.service import SearchService

    from .config import PROJECT_ROOT

    eval_dir = PROJECT_ROOT / "corpus" / "eval"
    questions = load_questions(Path(args.file) if args.file else eval_dir / "dev.jsonl")
    ood = load_questions(Path(args.ood) if args.ood else eval_dir / "ood.jsonl")
    text, numbers = report(SearchService(_settings(args)), questions, ood, tuple(args.modes))
    print(json.dumps(numbers, indent=2) if args.json else text)
    return 0


def cmd_eval_answers(args: argparse.Namespace) -> int:
    from search_api.core import answer_eval
    from search_api.core.service import SearchService

    service = SearchService(_settings(args))
    out = {}
    for name in args.files:
        scores = answer_eval.score(service, answer_eval.load_cases(Path(name)), args.as_of)
        out[name] = scores.as_dict()
        if not args.json:
            print(answer_eval.report(name, scores))
    if args.json:
        print(json.dumps(out, indent=2))
    return 0


def cmd_reader(args: argparse.Namespace) -> int:
    from search_api.core.reader_pairs import PairError, labelled_sets, pairs
    from search_api.core.reader_training import train_and_install
    from search_api.core.service import SearchService

    from .embed import resolve_model_path

    settings = _settings(args)
    sets = [p for p in labelled_sets(settings.reader_sets) if p.stem not in set(args.leave_out)]
    if not sets:
        print(
            f"error: no labelled question sets (*.jsonl) in {settings.reader_sets}; "
            "KG_READER_SETS names their folder",
            file=sys.stderr,
        )
        return 2
    as_of = args.as_of or dt.date.today()
    say = (lambda text: None) if args.quiet else (lambda text: print(text, file=sys.stderr))
    say(f"asking the {len(sets)} labelled sets' questions, as of {as_of}, without a reader")
    service = SearchService(settings.model_copy(update={"reader": False}))

    def progress(done: int, steps: int) -> None:
        if done == steps or done % 20 == 0:
            say(f"  trained {done}/{steps} batches")

    try:
        found = pairs(service, sets, as_of)
        wrong = sum(1 - p.label for p in found)
        say(f"{len(found)} sentences to learn from, {wrong} of them not what was asked")
        folder, trained = train_and_install(
            settings.data_dir,
            settings.model,
            resolve_model_path(settings.model),
            found,
            settings.reader_epochs,
            progress,
        )
    except PairError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{'trained' if trained else 'unchanged, reused'}: {folder}")
    return 0


def cmd_encoder(args: argparse.Namespace) -> int:
    from .embed import onnx_folder, resolve_model_path
    from .onnx_export import export_dir

    settings = _settings(args)
    folder = export_dir(
        settings.encoder_cache, settings.model, Path(resolve_model_path(settings.model))
    )
    done = folder.is_dir()
    folder = onnx_folder(settings.model, settings.encoder_cache, quantized=True)
    print(f"{'already exported' if done else 'exported'}: {folder}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from search_api.http.app import create_app

    settings = _settings(args)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        proxy_headers=settings.trust_proxy,  # X-Forwarded-For only behind a trusted proxy
    )
    return 0


def as_of_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="the date a procurement starts (YYYY-MM-DD; default today)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where builds live (KG_DATA_DIR; default ./data)")
    common.add_argument("--model", help="sentence-transformers model path or package (KG_MODEL)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="build the graph and index from documents")
    p.add_argument("paths", nargs="*", help="files, folders or http(s) URLs (default: corpus/)")
    p.add_argument("--strict", action="store_true", help="abort on the first rejected document")
    p.add_argument(
        "--sitemap", action="append", metavar="URL", help="ingest the pages a sitemap lists"
    )
    p.add_argument(
        "--kind",
        type=_kind,
        default="guidance",
        help="kind of documents without front matter (default: guidance)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.set_defaults(func=cmd_ingest)

    def retrieval_args(p: argparse.ArgumentParser, k: int) -> None:
        p.add_argument("--k", type=int, default=k)
        p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid")
        p.add_argument("--json", action="store_true", help="print the API's JSON")
        as_of_arg(p)
        for name in ("kind", "council", "route", "regime"):
            p.add_argument(f"--{name}", action="append", help=f"filter by {name} (repeatable)")

    p = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    p.add_argument("question")
    retrieval_args(p, 5)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", parents=[common], help="rank passages for a query")
    p.add_argument("query")
    p.add_argument("--offset", type=int, default=0)
    retrieval_args(p, 10)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("sparql", parents=[common], help="run a SPARQL query on the current build")
    p.add_argument("query", help="the query, @FILE, or - for standard input")
    p.add_argument(
        "--format", choices=("json", "csv", "tsv", "xml", "turtle", "nt", "jsonld", "rdfxml")
    )
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser(
        "validate",
        parents=[common],
        help="check the current build's graph against ontology/shapes.ttl",
    )
    p.add_argument("--graph", help="validate this N-Triples file instead of the current build")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", parents=[common], help="write the whole graph")
    p.add_argument("--format", choices=("turtle", "nt", "jsonld", "rdfxml"), default="turtle")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "eval", parents=[common, as_json], help="measure retrieval and support decisions"
    )
    p.add_argument("file", nargs="?", help="questions (JSON lines; default corpus/eval/dev.jsonl)")
    p.add_argument("--ood", help="out-of-domain questions (default corpus/eval/ood.jsonl)")
    p.add_argument("--modes", nargs="+", default=["bm25", "dense", "hybrid"])
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "eval-answers",
        parents=[common, as_json],
        help="score whole answers: answered from a stating document, or declined",
    )
    p.add_argument("files", nargs="+", help="answer sets (JSON lines, corpus/eval/answers-*.jsonl)")
    as_of_arg(p)
    p.set_defaults(func=cmd_eval_answers)

    p = sub.add_parser(
        "reader",
        parents=[common],
        help="train the answer reader on the labelled question sets and install it "
        "(KG_READER_SETS; reused while they and the answers are unchanged)",
    )
    p.add_argument(
        "--leave-out",
        nargs="+",
        default=[],
        metavar="SET",
        help="sets not to train on (file names without .jsonl), to measure on them",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    as_of_arg(p)
    p.set_defaults(func=cmd_reader)

    p = sub.add_parser(
        "encoder",
        parents=[common],
        help="export the model to ONNX once (fp32 and int8) into KG_ENCODER_CACHE",
    )
    p.set_defaults(func=cmd_encoder)

    p = sub.add_parser("serve", parents=[common], help="serve the API and page")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # noqa: BLE001 - the CLI reports, never dumps a traceback
        from pydantic import ValidationError
        from pydantic_settings import SettingsError

        from .build import BuildError
        from .onnx_export import ExportError

        if isinstance(exc, (BuildError, ExportError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, (ValidationError, SettingsError)):
            for line in setting_errors(exc):
                print(f"error: {line}", file=sys.stderr)
            return 2
        raise


def setting_errors(exc: Exception) -> list[str]:
    """One line per invalid setting: its variable, what is wrong with the value, an example."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return [f"invalid setting: {exc}"]
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        field = Settings.model_fields.get(name)
        default = field.get_default(call_default_factory=True) if field else None
        if isinstance(default, list):
            example = ",".join(str(v) for v in default) or "a,b"
        else:
            example = str(default)
        lines.append(
            f"KG_{name.upper()}={error.get('input')!r}: {error['msg']} "
            f"(for example KG_{name.upper()}={example})"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
