"""Passages are encoded while later documents are read in another thread: the build is the one
a sequential ingest makes, a bad document mid-way is still named, and nothing is left running."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import IngestAborted, run
from kg import build as builds
from kg import vectors
from kg.config import Settings
from kg.embed import Encoder
from kg.onnx_export import ExportError
from tests.conftest import CORPUS

# Chunks of 4 passages (4 x a batch size of 1), so a few documents make several chunks, some of
# them cut across a document, and a short last one.
SMALL_CHUNKS = {"embed_batch_size": 1}
CHUNK = 4


def _docs(tmp_path: Path, names: list[str]) -> Path:
    """Corpus documents copied under names that sort in the order given."""
    src = tmp_path / "docs"
    src.mkdir()
    for i, name in enumerate(names):
        shutil.copy(CORPUS / name, src / f"{i:02d}-{Path(name).name}")
    return src


DOCS = [
    "faq/how-do-you-measure-social-value.md",
    "guidance/community-asset-transfer.md",
    "case-studies/croydon.md",
]


def _texts(build: builds.Build) -> list[str]:
    """What the encoder was given for each passage (ingest/model.py Passage.embed_text)."""
    return [f"{p.heading}\n{p.text}" if p.heading else p.text for p in build.passages()]


def _no_ingest_thread() -> bool:
    return not any(t.name.startswith("kg-") for t in threading.enumerate())


def test_vectors_are_those_of_encoding_the_same_chunks_one_after_another(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", **SMALL_CHUNKS)
    report = run(settings, [_docs(tmp_path, DOCS)], encoder=encoder, quiet=True)
    texts = _texts(report.build)
    assert report.embedded == len(texts) > 2 * CHUNK and len(texts) % CHUNK, len(texts)
    sequential = np.concatenate(
        [encoder.encode(texts[lo : lo + CHUNK]) for lo in range(0, len(texts), CHUNK)]
    )
    stored = np.load(report.build.file(builds.EMBEDDINGS))
    np.testing.assert_allclose(stored, sequential, atol=1e-6)
    index = vectors.load(report.build.file(builds.VECTORS))
    np.testing.assert_allclose(index.reconstruct_n(0, index.ntotal), sequential, atol=1e-6)
    assert _no_ingest_thread()


def test_reused_and_encoded_vectors_land_on_their_own_passages(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", **SMALL_CHUNKS)
    src = _docs(tmp_path, DOCS)
    run(settings, [src], encoder=encoder, quiet=True)
    # The middle document's sentences change: its vectors are encoded, the others' reused.
    middle = next(src.glob("01-*"))
    text = middle.read_text(encoding="utf-8")
    middle.write_text(text.replace(". ", ", as revised. "), encoding="utf-8")
    report = run(settings, [src], encoder=encoder, quiet=True)
    assert report.embedded > 0 and report.reused > 0
    stored = np.load(report.build.file(builds.EMBEDDINGS))
    alone = np.concatenate([encoder.encode([t]) for t in _texts(report.build)])
    # Each row is its own passage's vector (a batch's padding moves it by far less than this).
    assert np.all(np.sum(stored * alone, axis=1) > 0.9999)


def test_a_bad_document_mid_way_is_named_and_the_others_are_built(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", **SMALL_CHUNKS)
    src = _docs(tmp_path, DOCS)
    (src / "01-zz-broken.md").write_text("---\nid: broken\ntitle: T\nkind: recipe\n---\nText.\n")
    report = run(settings, [src], encoder=encoder, quiet=True)
    assert [(Path(e.path).name, e.line) for e in report.rejected] == [("01-zz-broken.md", 4)]
    assert report.documents == len(DOCS)
    texts = _texts(report.build)
    sequential = np.concatenate(
        [encoder.encode(texts[lo : lo + CHUNK]) for lo in range(0, len(texts), CHUNK)]
    )
    np.testing.assert_allclose(np.load(report.build.file(builds.EMBEDDINGS)), sequential, atol=1e-6)


def test_strict_stops_at_a_bad_document_mid_way_and_leaves_the_last_build(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", **SMALL_CHUNKS)
    first = run(settings, [_docs(tmp_path, DOCS[:1])], encoder=encoder, quiet=True)
    src = tmp_path / "more"
    src.mkdir()
    for i, name in enumerate(DOCS[1:]):
        shutil.copy(CORPUS / name, src / f"{i:02d}-{Path(name).name}")
    # Between the two, after a chunk of the first is encoded, while the second is read ahead.
    (src / "00-zz-broken.md").write_text("---\nid: [x\n---\nText.\n")
    with pytest.raises(IngestAborted, match=r"00-zz-broken\.md:2"):
        run(settings, [src], strict=True, encoder=encoder, quiet=True)
    assert builds.open_current(settings.data_dir).id == first.build.id
    assert not any(p.name.startswith(".tmp-") for p in (settings.data_dir / "builds").iterdir())
    assert _no_ingest_thread()


def test_an_encoder_that_cannot_load_fails_the_ingest_and_publishes_nothing(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", **SMALL_CHUNKS)
    first = run(settings, [_docs(tmp_path, DOCS[:1])], encoder=encoder, quiet=True)
    missing = Encoder(str(tmp_path / "no-such-model"), backend="onnx", cache=tmp_path / "cache")
    with pytest.raises(ExportError, match="no-such-model"):
        run(settings, [CORPUS / "guidance"], encoder=missing, quiet=True)
    assert builds.open_current(settings.data_dir).id == first.build.id
    assert _no_ingest_thread()
