"""Read a file (or fetched bytes) into a body and front matter for the reader of its format;
every failure names the file and, where it can, the line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import DocumentError
from .readers import registry
from .readers.registry import Reader

DEFAULT_KIND = "guidance"


@dataclass
class RawDocument:
    """A document's bytes or decoded body before its reader runs, with where it came from.

    ``path`` is the file, or for a fetched document a name made from its URL's last segment
    (the document id comes from its stem); ``origin`` is the URL when fetched. ``source_url``
    is set when the document is its own source: a fetched page or file, or a PDF or Word file
    on disk (its file URI), whose inner links are not where it came from.
    """

    path: Path
    format: str  # a reader's name: markdown | text | html | pdf | docx
    body: str | bytes
    front_matter: dict = field(default_factory=dict)
    body_line: int = 1  # 1-based line of the body's first line in the file
    meta_lines: dict[str, int] = field(default_factory=dict)
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    origin: str = ""
    source_url: str = ""
    default_kind: str = DEFAULT_KIND  # the kind of a document whose front matter names none

    @property
    def where(self) -> str:
        """How errors and the manifest name the document: its URL or its path."""
        return self.origin or str(self.path)


def discover(paths: list[Path], exclude_dirs: tuple[str, ...] = ("eval",)) -> list[Path]:
    """Every ingestible file under the given paths, in a stable order (stable builds)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                rel_parts = child.relative_to(path).parts
                if any(part in exclude_dirs or part.startswith(".") for part in rel_parts):
                    continue
                if child.is_file() and registry.for_suffix(child.suffix) is not None:
                    if child.name.lower() == "readme.md":
                        continue
                    found.append(child)
        else:
            raise DocumentError(path, "no such file or folder")
    return found


def decode(data: bytes, path: Path | str) -> tuple[str, list[str]]:
    """UTF-8 first; otherwise decode what can be decoded and say where the bad bytes were."""
    if not data.strip():
        raise DocumentError(path, "empty file")
    sample = data[:4096]
    if b"\x00" in sample:
        raise DocumentError(path, "binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        warning = f"{path}:{line}: not valid UTF-8 at byte {exc.start}; decoded as Windows-1252"
        try:
            return data.decode("cp1252"), [warning]
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            return text, [f"{path}:{line}: invalid UTF-8 at byte {exc.start}; bad bytes replaced"]


def split_front_matter(text: str, path: Path | str) -> tuple[dict, str, int, dict[str, int]]:
    """YAML front matter between '---' lines; returns (meta, body, body's first line, key lines)."""
    if not text.startswith("---"):
        return {}, text, 1, {}
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 1, {}
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise DocumentError(path, "front matter opened with '---' is never closed", line=1)
    block = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(block) or {}
    except (ValueError, OverflowError, RecursionError) as exc:
        # PyYAML's constructors raise these for values like "2024-13-45" or "!!int x".
        raise DocumentError(path, f"broken YAML front matter: {exc}", line=2) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DocumentError(path, f"broken YAML front matter: {problem}", line=line) from exc
    if not isinstance(meta, dict):
        raise DocumentError(path, "front matter is not a mapping of keys to values", line=2)
    key_lines = {}
    for offset, raw in enumerate(lines[1:end], start=2):
        key = raw.split(":", 1)[0].strip()
        if raw and not raw[0].isspace() and ":" in raw and key not in key_lines:
            key_lines[key] = offset
    body = "\n".join(lines[end + 1 :])
    return meta, body, end + 2, key_lines


def load(path: Path, max_bytes: int, default_kind: str = DEFAULT_KIND) -> RawDocument:
    """Read one file; raises DocumentError for what cannot become a document."""
    reader = registry.for_suffix(path.suffix)
    if reader is None:
        raise DocumentError(path, registry.unsupported(f"file type '{path.suffix}'"))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(path, f"file is {size} bytes, over the limit of {max_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read file: {exc.strerror or exc}") from exc
    source = path.resolve().as_uri() if reader.self_sourced else ""
    return from_bytes(path, data, reader, source_url=source, default_kind=default_kind)


def from_bytes(
    path: Path,
    data: bytes,
    reader: Reader,
    origin: str = "",
    source_url: str = "",
    default_kind: str = DEFAULT_KIND,
) -> RawDocument:
    """The RawDocument of a file's bytes: decoded and split from its front matter when the
    format is text, kept as bytes for a binary format's reader."""
    where = origin or path
    raw = RawDocument(
        path=path,
        format=reader.name,
        body=data,
        content_hash=hashlib.sha256(data).hexdigest(),
        origin=origin,
        source_url=source_url,
        default_kind=default_kind,
    )
    if reader.binary:
        if not data.strip():
            raise DocumentError(where, "empty file")
        return raw
    text, raw.warnings = decode(data, where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw.body = text
    if reader.front_matter:
        raw.front_matter, raw.body, raw.body_line, raw.meta_lines = split_front_matter(text, where)
    if not raw.body.strip():
        raise DocumentError(
            where, "document has no text after its front matter", line=raw.body_line
        )
    return raw
