"""The example SPARQL queries shipped in queries/, with their titles, for the query page."""

from __future__ import annotations

from pathlib import Path


def load_examples(folder: Path) -> list[dict]:
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = description = ""
        for line in text.splitlines():
            if line.startswith("# title:"):
                title = line.split(":", 1)[1].strip()
            elif line.startswith("# description:"):
                description = line.split(":", 1)[1].strip()
        examples.append(
            {
                "name": path.stem,
                "title": title or path.stem,
                "description": description,
                "query": text,
            }
        )
    return examples
