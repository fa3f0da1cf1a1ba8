"""What /openapi.json says besides each route's own declarations, so a client generated from it
is right: the one error model every error answers with, the media types of routes that do not
answer JSON, and the limits that come from the settings.

Routes declare their error statuses with ``errors(...)`` and their non-JSON bodies with
``body(...)``; ``install`` puts the error model in the description and the configured limits
into the parameters they bound.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kg.config import Settings

from .schemas import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
ERROR_DESCRIPTIONS = {
    400: "The request is malformed (for SPARQL: the query's syntax, with line and column).",
    403: "Not allowed here (SPARQL Update without the update token).",
    404: "Nothing at this address in the build being served.",
    406: "The result cannot be served in the format asked for.",
    413: "The request, the question or the result is over its limit.",
    415: "The request body's media type is not one this route reads.",
    422: "A parameter is invalid: the detail names it and says why.",
    429: "Too many requests from this client: wait Retry-After seconds.",
    503: "No build is served yet, the graph store is unreachable, or a query was stopped.",
}
# Every route but /health is rate limited, and every one needs a build.
COMMON = (429, 503)
# Formats (a pattern a client can check) for the IRIs requests name.
IRI_PATTERN = (
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"
    r"(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*$"
)


def errors(*statuses: int) -> dict[int | str, dict]:
    """Error responses, each with the service's JSON error body."""
    return {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": ERROR_REF}},
        }
        for status in statuses
    }


# The JSON bodies among the media types routes answer in; every other one is text.
JSON_BODIES = {
    "application/sparql-results+json": {
        "type": "object",
        "required": ["head"],
        "properties": {
            "head": {"type": "object"},
            "results": {
                "type": "object",
                "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
            },
            "boolean": {"type": "boolean"},
        },
    },
    "application/ld+json": {"type": ["object", "array"]},
}


def body(description: str, *media_types: str) -> dict[int | str, dict]:
    """A 200 answered in any of ``media_types``."""
    return {
        200: {
            "description": description,
            "content": {m: {"schema": JSON_BODIES.get(m, {"type": "string"})} for m in media_types},
        }
    }


def _bound_questions(schema: dict, max_chars: int) -> None:
    """The question's length limit is a setting (KG_MAX_QUESTION_CHARS): say it."""
    for path in ("/ask", "/search"):
        for operation in schema["paths"].get(path, {}).values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "q":
                    parameter["schema"]["maxLength"] = max_chars
    ask = schema["components"]["schemas"].get("AskRequest")
    if ask:
        ask["properties"]["question"]["maxLength"] = max_chars


def install(app: FastAPI, settings: Settings) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = (
                ErrorBody.model_json_schema()
            )
            _bound_questions(schema, settings.max_question_chars)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
