"""Figures written in templates use the page's separators."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from athlos.web import numbers


@pytest.mark.parametrize(
    ("locale", "value", "digits", "shown"),
    [
        ("en", 6.0, 1, "6.0"),
        ("ru", 6.0, 1, "6,0"),
        ("de", 1234.5, 1, "1.234,5"),
        ("ru", 1234.5, 1, "1\xa0234,5"),
        ("en", 42.4, 0, "42"),
    ],
)
def test_decimal_follows_the_page_language(locale: str, value: float, digits: int, shown: str) -> None:
    env = Environment(autoescape=True)
    numbers.install(env)
    template = env.from_string("{{ value | decimal(digits) }}")
    assert template.render(locale=locale, value=value, digits=digits) == shown


def test_nothing_is_written_for_a_missing_figure() -> None:
    env = Environment(autoescape=True)
    numbers.install(env)
    assert env.from_string("{{ none | decimal(1) }}").render(locale="de") == ""
