"""Why an uploaded file was refused, with a stable code for clients and logs.

Importers raise :class:`ImportRefused` and nothing else on bad input; the codes are part of the public
contract (the API renders them as problem ``code`` values and the CLI prints them).
"""

from __future__ import annotations

from typing import Final

UNSUPPORTED_FORMAT: Final = "unsupported_format"
NOT_AN_ACTIVITY: Final = "not_an_activity"
NO_TIMESTAMPS: Final = "no_timestamps"
CORRUPT_FILE: Final = "corrupt_file"
EMPTY_FILE: Final = "empty_file"
XML_FORBIDDEN: Final = "xml_forbidden"
TOO_LARGE: Final = "too_large"
UNSAFE_PATH: Final = "unsafe_path"
INVALID_CSV: Final = "invalid_csv"

CODES: Final = frozenset(
    {
        UNSUPPORTED_FORMAT,
        NOT_AN_ACTIVITY,
        NO_TIMESTAMPS,
        CORRUPT_FILE,
        EMPTY_FILE,
        XML_FORBIDDEN,
        TOO_LARGE,
        UNSAFE_PATH,
        INVALID_CSV,
    }
)


class ImportRefused(Exception):
    """The file cannot become an activity. ``code`` is one of :data:`CODES`; ``detail`` is for people."""

    def __init__(self, code: str, detail: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown import refusal code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}")

    def as_problem(self) -> dict[str, object]:
        """An RFC 9457-like body describing the refusal."""
        return {
            "type": f"https://athlos.dev/problems/{self.code}",
            "title": "File refused",
            "status": 413 if self.code == TOO_LARGE else 422,
            "code": self.code,
            "detail": self.detail,
        }
