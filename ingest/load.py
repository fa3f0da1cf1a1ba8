"""Read a file into text and front matter; every failure names the file and, where it can, the line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import DocumentError

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}


@dataclass
class RawDocument:
    path: Path
    format: str  # markdown | text | html
    body: str
    front_matter: dict = field(default_factory=dict)
    body_line: int = 1  # 1-based line of the body's first line in the file
    meta_lines: dict[str, int] = field(default_factory=dict)
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)


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
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    if child.name.lower() == "readme.md":
                        continue
                    found.append(child)
        else:
            raise DocumentError(path, "no such file or folder")
    return found


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
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


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int, dict[str, int]]:
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


def load(path: Path, max_bytes: int) -> RawDocument:
    """Read one file; raises DocumentError for what cannot become a document."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(path, f"unsupported file type '{path.suffix}' (use .md, .txt or .html)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(path, f"file is {size} bytes, over the limit of {max_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read file: {exc.strerror or exc}") from exc
    text, warnings = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line, key_lines = ({}, text, 1, {})
    if fmt == "markdown":
        meta, body, body_line, key_lines = split_front_matter(text, path)
    if not body.strip():
        raise DocumentError(path, "document has no text after its front matter", line=body_line)
    return RawDocument(
        path=path,
        format=fmt,
        body=body,
        front_matter=meta,
        body_line=body_line,
        meta_lines=key_lines,
        content_hash=hashlib.sha256(data).hexdigest(),
        warnings=warnings,
    )
