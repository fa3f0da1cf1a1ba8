"""Ingest faults: nothing lost, nothing let in, and the server switches builds without failing."""

from __future__ import annotations

import shutil
import threading
import time

import httpx
import pytest

from ingest.pipeline import IngestAborted, run
from kg import build as builds
from kg.config import Settings
from tests.conftest import CORPUS
from tests.servers import running_server


def _docs(tmp_path, names: list[str]):
    src = tmp_path / "docs"
    src.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, src / name.split("/")[-1])
    return src


def test_duplicate_ids_and_unknown_kinds_are_rejected_with_their_line(tmp_path, encoder):
    src = _docs(tmp_path, ["faq/how-do-you-measure-social-value.md"])
    original = (src / "how-do-you-measure-social-value.md").read_text()
    (src / "copy.md").write_text(original)  # same id as the original
    (src / "recipe.md").write_text("---\nid: recipe\ntitle: T\nkind: recipe\n---\nText here.\n")
    report = run(Settings(data_dir=tmp_path / "data"), [src], encoder=encoder)
    assert report.documents == 1
    reasons = {e.path.rsplit("/", 1)[-1]: e for e in report.rejected}
    assert "duplicate document id" in reasons["how-do-you-measure-social-value.md"].reason or (
        "duplicate document id" in reasons["copy.md"].reason
    )
    assert reasons["recipe.md"].line == 4


@pytest.mark.slow
def test_strict_aborts_and_leaves_the_last_build_serving(tmp_path, corpus_settings, encoder):
    data = tmp_path / "data"  # over the corpus build, whose vectors serve: nothing to embed
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    first = run(Settings(data_dir=data), [CORPUS / "faq"], encoder=encoder)
    src = _docs(tmp_path, ["faq/how-do-you-measure-social-value.md"])
    (src / "broken.md").write_text("---\nid: [x\n---\nText.\n")
    with pytest.raises(IngestAborted, match="broken.md"):
        run(Settings(data_dir=data), [src], strict=True, encoder=encoder)
    assert builds.open_current(data).id == first.build.id


@pytest.mark.slow
def test_a_removed_document_leaves_the_graph_and_the_index(tmp_path, encoder):
    data = tmp_path / "data"
    src = _docs(
        tmp_path, ["faq/how-do-you-measure-social-value.md", "guidance/community-asset-transfer.md"]
    )
    run(Settings(data_dir=data), [src], encoder=encoder)
    (src / "community-asset-transfer.md").unlink()
    report = run(Settings(data_dir=data), [src], encoder=encoder)
    assert report.embedded == 0  # the remaining document is not re-embedded
    build = builds.open_current(data)
    assert {p.document_id for p in build.passages()} == {"faq-how-do-you-measure-social-value"}
    assert "/document/guide-community-asset-transfer" not in build.file(builds.GRAPH).read_text()
    assert build.manifest["counts"]["passages"] == len(build.passages())


def _wait_for(condition, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout_s} s"
        time.sleep(0.05)


@pytest.mark.e2e
def test_the_server_switches_builds_under_load_without_failing_a_request(tmp_path, encoder):
    """A real server: its own check for a new build, between requests from other threads."""
    data = tmp_path / "data"
    run(Settings(data_dir=data), [CORPUS / "faq"], encoder=encoder)
    statuses: list[int] = []
    builds_seen: set[str] = set()
    stop = threading.Event()
    with running_server(data, KG_RATE_LIMIT_PER_MINUTE="0") as base:

        def client() -> None:
            with httpx.Client(timeout=30) as http:
                while not stop.is_set():
                    r = http.get(f"{base}/ask", params={"q": "how do you measure social value?"})
                    statuses.append(r.status_code)
                    if r.status_code == 200:
                        builds_seen.add(r.json()["build"])

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            _wait_for(lambda: len(statuses) >= 8, "requests answered before the switch")
            new = run(
                Settings(data_dir=data), [CORPUS / "faq", CORPUS / "correctives"], encoder=encoder
            )
            _wait_for(lambda: new.build.id in builds_seen, "the new build served")
            after = len(statuses)
            _wait_for(lambda: len(statuses) >= after + 8, "requests answered after the switch")
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
    assert statuses and all(s == 200 for s in statuses), set(statuses)
    assert new.build.id in builds_seen and len(builds_seen) == 2
