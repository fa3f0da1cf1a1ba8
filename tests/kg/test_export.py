"""Export the whole graph in each format, load it back: the same graph (isomorphic)."""

import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import build as builds
from kg.config import PROJECT_ROOT
from kg.export import EXPORT_FORMATS, export
from kg.store import EmbeddedStore

RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def original(corpus_build):
    graph = Graph()
    graph.parse(corpus_build.build.file(builds.GRAPH), format="nt")
    return graph


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips_to_an_isomorphic_graph(fmt, corpus_build, original):
    store = EmbeddedStore.from_file(corpus_build.build.file(builds.GRAPH))
    exported = Graph()
    exported.parse(data=export(store, fmt), format=RDFLIB_FORMAT[fmt])
    assert len(exported) == len(original)
    assert isomorphic(exported, original)


def test_kg_export_writes_a_file(tmp_path, corpus_settings, corpus_build, original):
    out = tmp_path / "graph.ttl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "export",
            "--format",
            "turtle",
            "-o",
            str(out),
            "--data-dir",
            str(corpus_settings.data_dir),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    reloaded = Graph()
    reloaded.parse(out, format="turtle")
    assert isomorphic(reloaded, original)
