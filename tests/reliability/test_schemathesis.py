"""Schemathesis over the app's OpenAPI: no generated request gets a 5xx.

Every operation the schema lists gets up to 25 generated requests, valid ones (by the schema)
and invalid ones, against the app in-process over the corpus build, so a 503 "no build" is as
much a failure as a 500.

The routes that put a request value into an IRI inside a SPARQL query (``GET /id/{path}``,
``GET /graph/neighbourhood``) once gave 500 for values that are not IRIs; the tests at the end
keep those cases answered with 4xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from search_api.http.app import create_app

PER_OPERATION = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app(app_settings, service):
    """An app for each test: Schemathesis runs the app's start-up on its first request and its
    shutdown when the test ends, and an app's SPARQL workers do not start again once closed."""
    return create_app(app_settings, service)


def _operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert found, "the schema lists no operations"
    return found


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_generated_request_gets_a_server_error(app, mode):

    sent: dict[str, int] = {}

    def no_server_error(ctx, response, case):
        sent[case.operation.label] = sent.get(case.operation.label, 0) + 1
        return not_a_server_error(ctx, response, case)

    generation = schemathesis.GenerationMode(mode)
    failures: list[str] = []
    checked: list[str] = []
    for operation in _operations(app):
        checked.append(operation.label)

        @PER_OPERATION
        @given(case=operation.as_strategy(generation_mode=generation))
        def run(case) -> None:
            case.call_and_validate(checks=[no_server_error], timeout=30)

        try:
            run()
        except Unsatisfiable:
            # No request breaks this operation's schema (no parameters, or only strings in
            # the path): nothing negative to send.
            assert mode == "negative", operation.label
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect, try every one
            failures.append(f"{operation.label}: {exc}")
    assert {"GET /ask", "POST /ask", "GET /search", "GET /health"} <= set(checked)
    assert not failures, "\n\n".join(failures)
    if mode == "positive":  # every operation was called, those with parameters many times
        assert set(sent) == set(checked) and sent["GET /ask"] >= 10, sent


@pytest.mark.parametrize("path", ("/id/a%20b", "/id/a%3Eb", "/id/a%7Bb", "/id/a%C2%9A"))
def test_entity_paths_that_are_not_iris(client, path):
    assert client.get(path).status_code in (400, 404)


def test_neighbourhood_of_an_invalid_iri(client):
    iri = "https://w3id.org/p2p-kg/id/council/a\u009a"
    r = client.get("/graph/neighbourhood", params={"iri": iri})
    assert r.status_code in (400, 404, 422)
