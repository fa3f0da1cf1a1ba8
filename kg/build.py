"""A Build: one complete, versioned output of an ingest, published atomically.

Layout under the data directory::

    builds/<build-id>/        manifest.json, passages.jsonl, vectors.faiss, embeddings.npy,
                              graph.nt, entities.json
    builds/.tmp-<build-id>/   a build being written (debris if its ingest died)
    current -> builds/<id>    the build being served; replaced by an atomic rename

A build directory is only ever renamed into place once every file in it is written and synced,
and ``current`` only ever points at such a directory, so a failed or killed ingest leaves the
previous build serving.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

# The layout of a data directory and of a build in it: every path is built from these names.
BUILDS = "builds"
CURRENT = "current"
UPDATES = "updates"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.faiss"
EMBEDDINGS = "embeddings.npy"
GRAPH = "graph.nt"
ENTITIES = "entities.json"
KEEP_BUILDS = 3


class BuildError(Exception):
    """No usable build: the message says what to run."""


def builds_dir(data_dir: Path) -> Path:
    return data_dir / BUILDS


def current_link(data_dir: Path) -> Path:
    return data_dir / CURRENT


def updates_dir(data_dir: Path) -> Path:
    """Where the graph of a build changed by SPARQL Update is kept until the next build."""
    return data_dir / UPDATES


def _update_number(path: Path, build_id: str) -> int | None:
    """The time stamp in ``<build id>-<ns>.nq``, for a dataset changed from that build."""
    stem = path.name.removesuffix(".nq")
    if path.suffix != ".nq" or not stem.startswith(build_id + "-"):
        return None
    number = stem[len(build_id) + 1 :]
    return int(number) if number.isdigit() else None


def write_update(data_dir: Path, build_id: str, nquads: bytes) -> Path:
    """Keep a dataset changed by SPARQL Update durably (synced before the update is
    acknowledged) as ``updates/<build id>-<ns>.nq``; changes to other builds are dropped."""
    folder = updates_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    changed = folder / f"{build_id}-{time.time_ns()}.nq"
    tmp = changed.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(nquads)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(changed)
    _fsync_dir(folder)
    for old in folder.iterdir():
        if old != changed and _update_number(old, build_id) is None:
            old.unlink(missing_ok=True)
    return changed


def served_graph(build: Build) -> Path:
    """The graph file to serve for a build: the newest dataset an update changed from it
    (kept until the next build), else the build's own graph."""
    folder = updates_dir(build.path.parent.parent)
    changed = [
        (number, path)
        for path in (folder.iterdir() if folder.is_dir() else [])
        if (number := _update_number(path, build.id)) is not None
    ]
    return max(changed)[1] if changed else build.file(GRAPH)


@dataclass(frozen=True)
class PassageRow:
    """One passage as a build stores it (a line of ``passages.jsonl``), in the file's order.

    What a citation shows (document, title, kind, source, heading, text and its offsets in the
    document), what filters read (mentions, the document's entities, councils, routes, regime)
    and the content hash its embedding is reused by.
    """

    id: str
    document_id: str
    title: str
    kind: str
    source_url: str
    text: str
    heading: str
    char_start: int
    char_end: int
    mentions: tuple[str, ...] = ()
    doc_entities: tuple[str, ...] = ()
    council: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    regime: str = ""
    published: str = ""
    embed_key: str = ""
    page: int | None = None  # paged formats (PDF): the page the passage starts on

    def to_json(self) -> str:
        """The row as one JSON line; ``page`` only where there is one, so rows of unpaged
        documents stay as they were."""
        values = asdict(self)
        if values["page"] is None:
            del values["page"]
        return json.dumps(values, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> PassageRow:
        """A stored row; lists become tuples, so a row read back equals the row written."""
        known = {f.name for f in fields(cls)}
        values = json.loads(line)
        return cls(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known}
        )


def write_passages(path: Path, rows: Iterable[PassageRow]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(row.to_json() + "\n")


def read_passages(path: Path) -> list[PassageRow]:
    with path.open(encoding="utf-8") as fh:
        return [PassageRow.from_json(line) for line in fh if line.strip()]


def new_build_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


@dataclass
class Build:
    path: Path
    manifest: dict

    @property
    def id(self) -> str:
        return self.manifest["build_id"]

    def file(self, name: str) -> Path:
        return self.path / name

    def passages(self) -> list[PassageRow]:
        return read_passages(self.file(PASSAGES))

    def entities(self) -> list[dict]:
        return json.loads(self.file(ENTITIES).read_text(encoding="utf-8"))

    @property
    def encoder(self) -> dict[str, str]:
        """What made the build's vectors (builds from before backends were recorded: torch)."""
        return self.manifest.get("encoder") or {
            "model": self.manifest.get("model", ""),
            "backend": "torch",
        }

    def check_encoder(self, identity: dict[str, str]) -> None:
        """Questions must be encoded as the passages were: another encoder's vectors would be
        compared with these, and the ranking would be silently off."""
        made = self.encoder
        if made == identity:
            return
        raise EncoderMismatch(
            f"build {self.id} holds vectors made by {made['model']} ({made['backend']}), and "
            f"questions would be encoded by {identity['model']} ({identity['backend']}): serve "
            f"it with KG_ENCODER_BACKEND={made['backend']}"
            + (f" KG_MODEL={made['model']}" if made["model"] != identity["model"] else "")
            + f", or run 'kg ingest' with KG_ENCODER_BACKEND={identity['backend']} to rebuild"
        )


class EncoderMismatch(BuildError):
    """The build's vectors were made by another encoder than the one serving."""


def current_target(data_dir: Path) -> Path | None:
    link = current_link(data_dir)
    try:
        return (data_dir / os.readlink(link)).resolve()
    except OSError:
        return None


def open_current(data_dir: Path) -> Build:
    target = current_target(data_dir)
    if target is None or not (target / MANIFEST).is_file():
        raise BuildError(f"no build in {data_dir}: run 'kg ingest' (or 'make run') first")
    return Build(target, json.loads((target / MANIFEST).read_text(encoding="utf-8")))


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data directory; the lock dies with its process."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "ingest.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(f"another ingest is writing to {data_dir}") from exc
        yield


def clean_debris(data_dir: Path) -> list[Path]:
    """Remove half-written builds and stale links left by an ingest that died (lock held)."""
    removed = []
    builds = builds_dir(data_dir)
    if builds.is_dir():
        for child in builds.iterdir():
            if child.name.startswith(".tmp-"):
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child)
    for child in data_dir.glob(f"{CURRENT}.tmp-*"):
        child.unlink(missing_ok=True)
        removed.append(child)
    return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def start(data_dir: Path, build_id: str) -> Path:
    tmp = builds_dir(data_dir) / f".tmp-{build_id}"
    tmp.mkdir(parents=True)
    return tmp


def publish(data_dir: Path, tmp: Path, manifest: dict) -> Build:
    """Write the manifest last, move the build into place, then point ``current`` at it."""
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    for child in tmp.iterdir():
        with open(child, "rb") as fh:
            os.fsync(fh.fileno())
    _fsync_dir(tmp)
    final = builds_dir(data_dir) / manifest["build_id"]
    os.rename(tmp, final)
    _fsync_dir(final.parent)
    link_tmp = data_dir / f"{CURRENT}.tmp-{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(final, data_dir), link_tmp)
    os.replace(link_tmp, current_link(data_dir))
    _fsync_dir(data_dir)
    prune(data_dir, keep=KEEP_BUILDS)
    return Build(final, manifest)


def prune(data_dir: Path, keep: int) -> None:
    """Old builds go, newest first kept; the one being served always stays."""
    current = current_target(data_dir)
    builds = sorted(
        (p for p in builds_dir(data_dir).iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    for old in builds[keep:]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
