"""List settings read from the environment, and an invalid setting reported in one line."""

import pytest

from kg.cli import main
from kg.config import Settings


@pytest.mark.parametrize(
    "value",
    ["https://a.example,https://b.example", '["https://a.example", "https://b.example"]'],
)
def test_a_list_setting_is_json_or_comma_separated(monkeypatch, value):
    monkeypatch.setenv("KG_CORS_ORIGINS", value)
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_a_single_origin_needs_no_brackets(monkeypatch):
    monkeypatch.setenv("KG_CORS_ORIGINS", "https://site.example")
    assert Settings().cors_origins == ["https://site.example"]


def test_an_invalid_setting_is_one_line_with_its_variable_and_an_example(monkeypatch, capsys):
    monkeypatch.setenv("KG_PORT", "eighty")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith("error: KG_PORT='eighty'") and "KG_PORT=8000" in err
