"""The vectors of an earlier test run's corpus build, so a run embeds only the text that changed.

The ingest already keeps the vector of a passage whose text and model are unchanged, taking it
from the build being served (ingest/pipeline.py). Before the session builds the corpus, its
empty data folder is given the last run's build as the one being served (only the files that
reuse reads), and that seed is removed once the new build is published: the tests get a fresh
build made by the code under test, with only the encoding of text encoded before skipped.

The caches sit in the system's temporary folder, one per named build and version of the code
that turns text into a vector (kg/embed.py and the ONNX modules); the vectors' keys name the
encoder backend, so one backend's vectors are never taken for another's. ``KG_TEST_FRESH_VECTORS=1`` embeds everything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from kg import build as builds
from kg.config import PROJECT_ROOT

REUSED = (builds.MANIFEST, builds.PASSAGES, builds.EMBEDDINGS)
ROOT = (
    Path(tempfile.gettempdir())
    / "p2p-kg-test-vectors"
    / hashlib.sha256(
        b"".join(
            (PROJECT_ROOT / "kg" / name).read_bytes()
            for name in ("embed.py", "onnx_encoder.py", "onnx_export.py")
        )
    ).hexdigest()[:16]
)


def _enabled() -> bool:
    return os.environ.get("KG_TEST_FRESH_VECTORS", "") in ("", "0")


def seed(name: str, data_dir: Path) -> Path | None:
    """Serve the cached build ``name`` from the new ``data_dir``; its folder, or None."""
    if not _enabled():
        return None
    target = None
    try:
        cached = builds.open_current(ROOT / name)
        target = data_dir / "builds" / cached.id
        target.mkdir(parents=True)
        for name in REUSED:
            shutil.copy2(cached.file(name), target / name)
        (data_dir / "current").symlink_to(os.path.relpath(target, data_dir))
        return target
    except (builds.BuildError, OSError):  # no cache, or another run is replacing it
        (data_dir / "current").unlink(missing_ok=True)
        if target is not None:
            shutil.rmtree(target, ignore_errors=True)
        return None


def unseed(seeded: Path | None) -> None:
    if seeded is not None:
        shutil.rmtree(seeded)


def keep(name: str, build: builds.Build) -> None:
    """Publish ``build``'s vectors as the cache ``name``, as an ingest publishes a build."""
    if not _enabled():
        return
    cache = ROOT / name
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with builds.ingest_lock(cache):
            builds.clean_debris(cache)
            tmp = builds.start(cache, build.id)
            for file in REUSED:
                shutil.copy2(build.file(file), tmp / file)
            builds.publish(cache, tmp, build.manifest)
    except (builds.BuildError, OSError):
        pass  # another run is writing it: this one's vectors are not needed
