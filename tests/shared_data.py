"""Where the real device files live, and skipping cleanly when they are not there.

The files sit in ``../shared/data/`` beside the repository: ``tracks/`` (device files with the totals
the devices recorded) and ``validation/`` (files the importer was never tuned on). A fresh clone has
neither, so every test that reads them carries the ``shared_data`` mark and skips with its reason when
they are absent. ``ATHLOS_TEST_TRACKS`` and ``ATHLOS_TEST_VALIDATION`` point elsewhere; ``.ci/run``
points them at an empty folder to prove that those tests all skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data"

TRACKS = Path(os.environ.get("ATHLOS_TEST_TRACKS") or _DEFAULT / "tracks")
VALIDATION = Path(os.environ.get("ATHLOS_TEST_VALIDATION") or _DEFAULT / "validation")


def available(folder: Path) -> bool:
    """A data folder counts only with its ``expected.json``: an empty or partial folder does not."""
    return (folder / "expected.json").is_file()


def reason(folder: Path) -> str:
    return f"shared data not available: {folder} has no expected.json"


def files(folder: Path, *patterns: str) -> list[Path]:
    """The folder's files matching the patterns, sorted; none when the folder is not available."""
    if not available(folder):
        return []
    return sorted(path for pattern in patterns for path in folder.glob(pattern))


def require(folder: Path) -> Path:
    """The folder, or a skip of the calling test with the reason."""
    if not available(folder):
        pytest.skip(reason(folder))
    return folder


def needs(folder: Path) -> pytest.MarkDecorator:
    """Marks a module or test as reading ``folder``: it skips with the reason when that is absent."""
    return pytest.mark.skipif(not available(folder), reason=reason(folder))
