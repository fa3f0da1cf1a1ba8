"""Schemathesis with every check over a real ``kg serve``: /openapi.json is true to the API.

The Schemathesis command line runs all its phases (examples, coverage, fuzzing, stateful) and
``--checks all``: no 5xx, every status and media type documented, every body as its schema says,
schema-valid requests accepted and schema-violating ones refused. Its hooks
(schemathesis_hooks.py) give it SPARQL for the formats the schema names.

The routes that put a request value into an IRI inside a SPARQL query (``GET /id/{path}``,
``GET /graph/neighbourhood``) once gave 500 for values that are not IRIs; the tests at the end
keep those cases answered with 4xx.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg.config import PROJECT_ROOT


def _schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    if not Path(found).exists():
        pytest.skip("schemathesis is not installed (the test extra)")
    return found


@pytest.mark.slow
@pytest.mark.e2e
def test_every_schemathesis_check_passes_over_a_real_server(live_server):
    operations = len(
        [
            m
            for item in httpx.get(f"{live_server}/openapi.json").json()["paths"].values()
            for m in item
        ]
    )
    run = subprocess.run(
        [
            _schemathesis(),
            "run",
            f"{live_server}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "25",
            "--seed",
            "20261129",
            "--no-color",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.reliability.schemathesis_hooks",
            "PYTHONPATH": str(PROJECT_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "No issues found" in report, report
    tested = re.search(r"Tested: (\d+)", report)
    assert tested and int(tested.group(1)) == operations >= 16, report
    generated = re.search(r"(\d+) generated, (\d+) passed", report)
    assert generated and generated.group(1) == generated.group(2), report
    assert int(generated.group(1)) > 400, report


@pytest.mark.parametrize("path", ("/id/a%20b", "/id/a%3Eb", "/id/a%7Bb", "/id/a%C2%9A"))
def test_entity_paths_that_are_not_iris(client, path):
    assert client.get(path).status_code in (400, 404)


def test_neighbourhood_of_an_invalid_iri(client):
    iri = "https://w3id.org/p2p-kg/id/council/a\u009a"
    r = client.get("/graph/neighbourhood", params={"iri": iri})
    assert r.status_code in (400, 404, 422)
