"""``{{ value | decimal(1) }}``: a number with the page's decimal and group separators ("6.0", "6,0",
"1 234,5"), for figures written in templates."""

from __future__ import annotations

from babel.numbers import format_decimal
from jinja2 import Environment, pass_context
from jinja2.runtime import Context


@pass_context
def decimal(context: Context, value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=context.get("locale", "en"))


def install(env: Environment) -> None:
    env.filters["decimal"] = decimal
