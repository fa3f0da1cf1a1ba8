import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.pipeline import run
from kg import build as builds
from kg.config import PROJECT_ROOT, Settings
from tests.conftest import CORPUS


def test_shipped_corpus_ingests_without_rejections(corpus_build):
    assert corpus_build.rejected == []
    counts = corpus_build.build.manifest["counts"]
    assert counts["documents"] >= 40
    assert counts["passages"] == corpus_build.passages
    assert corpus_build.build.manifest["dimension"] == 384


def test_every_passage_is_the_slice_of_its_document(corpus_build):
    by_doc: dict[str, list[builds.PassageRow]] = {}
    for row in corpus_build.build.passages():
        by_doc.setdefault(row.document_id, []).append(row)
        assert row.char_end > row.char_start
        assert row.source_url.startswith("http")
    # Offsets are consecutive and increasing within a document.
    for rows in by_doc.values():
        ends = [r.char_start for r in rows]
        assert ends == sorted(ends)


def test_every_corpus_document_names_its_sources(corpus_build):
    from ingest.load import discover, load

    for path in discover([CORPUS]):
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


def test_reingest_gives_identical_ids_and_reuses_embeddings(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data")
    docs = [CORPUS / "case-studies", CORPUS / "faq"]
    first = run(settings, docs, encoder=encoder)
    second = run(settings, docs, encoder=encoder)
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


def test_cli_exit_status_is_nonzero_when_a_document_is_rejected(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(CORPUS / "faq" / "how-do-you-measure-social-value.md", src / "good.md")
    (src / "empty.md").write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", str(src), "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "empty.md" in proc.stdout and "empty file" in proc.stdout


def _served(data_dir: Path) -> tuple[str, int]:
    build = builds.open_current(data_dir)
    rows = build.passages()
    assert len(rows) == build.manifest["counts"]["passages"]
    return build.id, len(rows)


def test_killed_ingest_leaves_the_last_build_serving(tmp_path, corpus_build, corpus_settings):
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    before = _served(data)
    changed = tmp_path / "changed"
    shutil.copytree(CORPUS, changed)
    for path in changed.rglob("*.md"):
        if path.name != "README.md":
            path.write_text(path.read_text() + "\nThis note was revised for a new edition.\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for delay in (0.5, 3.0, 6.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "ingest", str(changed), "--data-dir", str(data)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _served(data) == before, f"killed after {delay}s"
    # The next ingest clears the debris and publishes a complete build.
    report = run(Settings(data_dir=data), [CORPUS / "faq"], encoder=None)
    assert not [p for p in (data / "builds").iterdir() if p.name.startswith(".tmp-")]
    assert _served(data)[0] == report.build.id
    manifest = json.loads((data / "current" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == report.documents
