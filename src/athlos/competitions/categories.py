"""A participant's category, from their birth year and sex at entry: ``M35``, ``F40``, ``X``, ``35`` or
``all``. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

ALL: Final = "all"
SEX_LETTERS: Final = {"male": "M", "female": "F", "other": "X"}


class CategoryUnknown(Exception):
    """The profile lacks what the race's categories need: ``missing`` is ``birth_year`` or ``sex``."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        super().__init__(missing)


def age_group(age: int, groups: Sequence[int]) -> str:
    """The highest lower bound at or below ``age``; younger than every group: ``U`` and the lowest."""
    bounds = sorted(set(groups))
    below = [bound for bound in bounds if bound <= age]
    return str(below[-1]) if below else f"U{bounds[0]}"


def category(
    *, race_year: int, age_groups: Sequence[int], by_sex: bool, birth_year: int | None, sex: str | None
) -> str:
    """The category of someone born in ``birth_year`` racing in ``race_year``."""
    letter = ""
    if by_sex:
        if sex not in SEX_LETTERS:
            raise CategoryUnknown("sex")
        letter = SEX_LETTERS[sex]
    group = ""
    if age_groups:
        if birth_year is None:
            raise CategoryUnknown("birth_year")
        group = age_group(race_year - birth_year, age_groups)
    return f"{letter}{group}" or ALL
