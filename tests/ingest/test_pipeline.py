import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.clean import clean
from ingest.document import to_document
from ingest.load import discover, load
from ingest.pipeline import run
from kg import build as builds
from kg import cli
from kg.config import PROJECT_ROOT, Settings
from tests.conftest import CORPUS


def test_shipped_corpus_ingests_without_rejections(corpus_build):
    assert corpus_build.rejected == []
    counts = corpus_build.build.manifest["counts"]
    assert counts["documents"] >= 40
    assert counts["passages"] == corpus_build.passages
    assert corpus_build.build.manifest["dimension"] == 384


def test_every_passage_is_the_slice_of_its_document(corpus_build, corpus_settings):
    texts = {}
    for path in discover(corpus_settings.corpus):  # what the build read, read again
        raw = load(path, corpus_settings.max_document_bytes)
        doc = to_document(raw, clean(raw))
        texts[doc.id] = doc.text
    rows = corpus_build.build.passages()
    assert rows and {r.document_id for r in rows} == set(texts)
    starts: dict[str, list[int]] = {}
    for row in rows:
        text = texts[row.document_id]
        assert 0 <= row.char_start < row.char_end <= len(text), row.id
        assert text[row.char_start : row.char_end] == row.text, row.id
        assert row.source_url.startswith("http")
        starts.setdefault(row.document_id, []).append(row.char_start)
    # Offsets increase within a document.
    assert all(s == sorted(s) for s in starts.values())


def test_every_corpus_document_names_its_sources():
    paths = discover([CORPUS])
    assert len(paths) >= 40
    for path in paths:
        raw = load(path, 5_000_000)
        urls = raw.front_matter.get("source_urls") or []
        assert urls, f"{path} names no source URL"
        assert all(u.startswith(("http://", "https://")) for u in urls), path


def test_seed_pages_become_councils_without_cookie_text(seeds_report):
    settings, report = seeds_report
    assert report.rejected == []
    build = builds.open_current(settings.data_dir)
    passages = build.passages()
    text = " ".join(p.text for p in passages).lower()
    assert "cookie" not in text and "consent" not in text
    mentioned = {iri for p in passages for iri in p.mentions}
    for council in ("oldham", "croydon", "plymouth", "leicestershire"):
        assert f"{settings.id_base}council/{council}" in mentioned
    graph = build.file(builds.GRAPH).read_text(encoding="utf-8")
    assert (
        f"<{settings.id_base}council/croydon> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/p2p-kg/ontology#Council>"
        in graph
    )
    assert '"E09000008"' in graph  # Croydon's GSS code from the ONS lookup


@pytest.mark.slow
def test_reingest_gives_identical_ids_and_reuses_embeddings(tmp_path, corpus_settings, encoder):
    settings = Settings(data_dir=tmp_path / "data")
    # Over the corpus build, whose vectors serve the first ingest too: nothing to embed.
    shutil.copytree(corpus_settings.data_dir, settings.data_dir, symlinks=True)
    docs = [CORPUS / "case-studies", CORPUS / "faq"]
    first = run(settings, docs, encoder=encoder)
    second = run(settings, docs, encoder=encoder)
    assert first.embedded == 0 and first.reused == first.passages > 0
    assert second.embedded == 0 and second.reused == first.passages
    ids = [p.id for p in first.build.passages()]
    assert ids == [p.id for p in second.build.passages()]
    g1 = sorted(first.build.file(builds.GRAPH).read_text().splitlines())
    g2 = sorted(second.build.file(builds.GRAPH).read_text().splitlines())
    assert g1 == g2


def test_bad_documents_are_reported_and_the_rest_ingested(tmp_path, encoder):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(CORPUS / "faq" / "how-do-you-measure-social-value.md", src / "good.md")
    (src / "broken.md").write_text("---\nid: broken\ntitle: [oops\n---\nText.\n")
    (src / "badref.md").write_text(
        "---\nid: badref\ntitle: T\nkind: case_study\ncouncil: atlantis\n---\nSome text.\n"
    )
    (src / "empty.txt").write_text("")
    report = run(Settings(data_dir=tmp_path / "data"), [src], encoder=encoder)
    assert report.documents == 1
    reasons = {Path(e.path).name: e for e in report.rejected}
    assert set(reasons) == {"broken.md", "badref.md", "empty.txt"}
    assert reasons["badref.md"].line == 5 and "atlantis" in reasons["badref.md"].reason


def test_cli_exit_status_is_nonzero_when_a_document_is_rejected(
    tmp_path, encoder, monkeypatch, capsys
):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(CORPUS / "faq" / "how-do-you-measure-social-value.md", src / "good.md")
    (src / "empty.md").write_text("")
    # `kg ingest` in-process, with the session's encoder instead of loading the model again.
    monkeypatch.setattr(pipeline.Encoder, "from_settings", classmethod(lambda cls, s: encoder))
    status = cli.main(["ingest", str(src), "--data-dir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    assert status == 1
    assert "empty.md" in out and "empty file" in out


def _served(data_dir: Path) -> tuple[str, int]:
    build = builds.open_current(data_dir)
    rows = build.passages()
    assert len(rows) == build.manifest["counts"]["passages"]
    return build.id, len(rows)


def _debris(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "builds").iterdir() if p.name.startswith(".tmp-")]


# Where the ingest is killed: the point tests/ingest/held_ingest.py waits at, and the sign of
# progress the test kills it on (its marks folder, the data folder).
KILL_POINTS = {
    "while embedding": ("encoding", lambda marks, data: (marks / "encoding").exists()),
    "while writing the build": (
        "publishing",
        lambda marks, data: (
            (marks / "encoding").exists()  # past its clean-up of old debris
            and any(any(tmp.iterdir()) for tmp in _debris(data))
        ),
    ),
    "with the build written, before publishing": (
        "publishing",
        lambda marks, data: (marks / "publishing").exists(),
    ),
}


def _kill_when(proc: subprocess.Popen, reached, log: Path, deadline_s: float = 600) -> None:
    deadline = time.monotonic() + deadline_s
    try:
        while not reached():
            if proc.poll() is not None:
                raise AssertionError(f"the ingest ended ({proc.returncode}):\n{log.read_text()}")
            assert time.monotonic() < deadline, f"the ingest did not get there in {deadline_s} s"
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_killed_ingest_leaves_the_last_build_serving(
    tmp_path, corpus_build, corpus_settings, encoder
):
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    before = _served(data)
    changed = tmp_path / "changed"
    shutil.copytree(CORPUS, changed)
    for path in changed.rglob("*.md"):
        if path.name != "README.md":
            path.write_text(path.read_text() + "\nThis note was revised for a new edition.\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for point, (hold, reached) in KILL_POINTS.items():
        marks = tmp_path / "marks" / point.replace(" ", "-")
        marks.mkdir(parents=True)
        log = marks / "output.txt"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.ingest.held_ingest", str(marks), hold]
                + ["ingest", str(changed), "--data-dir", str(data)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _kill_when(proc, lambda marks=marks, reached=reached: reached(marks, data), log)
        assert _served(data) == before, f"killed {point}"
        # The kill landed where it was meant to: before any build file, or among them.
        assert bool(_debris(data)) == (hold == "publishing"), point
    # The next ingest clears the debris and publishes a complete build.
    report = run(Settings(data_dir=data), [CORPUS / "faq"], encoder=encoder)
    assert not _debris(data)
    assert _served(data)[0] == report.build.id
    manifest = json.loads((data / "current" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == report.documents
