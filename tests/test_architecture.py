"""The module borders of docs/architecture.md, checked on the source: core imports no domain (nor the
vocabulary), the vocabulary imports no domain, no domain reads another domain's tables, accounts never
imports activities, and a capability is a package rather than a set of prefixed modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from athlos.modules import DOMAINS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "athlos"
# Parts are found by file name; a prefixed module (``recording_api.py``) would be a capability that
# should be a package (``recording/api.py``).
PART_NAMES = ("api", "models", "pages", "handlers", "schemas", "service", "personal_data", "background")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _label(path: Path) -> str:
    return str(path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path)


def _sources(package: Path) -> list[Path]:
    return sorted(package.rglob("*.py")) if package.exists() else []


def _imports_under(package: Path, forbidden: set[str]) -> set[str]:
    """``file: import`` for every import in ``package`` of ``athlos.<one of forbidden>``."""
    return {
        f"{_label(path)}: {name}"
        for path in _sources(package)
        for name in _imports(path)
        if name.startswith("athlos.") and name.split(".")[1] in forbidden
    }


def owning_domain_models(name: str) -> str | None:
    """The domain whose tables ``name`` imports (``athlos.<domain>[.<capability>...].models``), or None."""
    parts = name.split(".")
    if len(parts) < 3 or parts[0] != "athlos" or parts[1] not in DOMAINS:
        return None
    return parts[1] if "models" in parts[2:] else None


def models_crossings(domain: str, sources: list[Path]) -> set[str]:
    return {
        f"{_label(path)}: {name}"
        for path in sources
        for name in _imports(path)
        if owning_domain_models(name) not in {None, domain}
    }


def prefixed_parts(sources: list[Path]) -> set[str]:
    return {_label(path) for path in sources if any(path.stem.endswith(f"_{part}") for part in PART_NAMES)}


def test_core_imports_no_domain_nor_the_vocabulary() -> None:
    offenders = _imports_under(PACKAGE / "core", {*DOMAINS, "vocabulary", "web", "app", "cli"})
    assert not offenders, offenders


def test_vocabulary_imports_no_domain() -> None:
    offenders = _imports_under(PACKAGE / "vocabulary", {*DOMAINS, "web", "app", "cli"})
    assert not offenders, offenders


def test_domains_do_not_import_each_others_models() -> None:
    offenders = set()
    for domain in DOMAINS:
        offenders |= models_crossings(domain, _sources(PACKAGE / domain))
    assert not offenders, offenders


def test_accounts_never_imports_activities() -> None:
    """Activities build on accounts (owners, profiles); the other way round would be a cycle."""
    offenders = _imports_under(PACKAGE / "accounts", {"activities"})
    assert not offenders, offenders


def test_gamification_follows_activities_only_through_their_events() -> None:
    """Points, goals and badges are kept from activity events; the activities never know of them. Fair
    play asks only the one privacy rule (``activities.access``) whether a person may flag an activity."""
    offenders = {
        name
        for name in _imports_under(PACKAGE / "gamification", {"activities"})
        if not name.split(": ")[1].startswith("athlos.activities.access")
    }
    assert not offenders, offenders
    for domain in ("activities", "analytics", "social"):
        offenders = _imports_under(PACKAGE / domain, {"gamification"})
        assert not offenders, offenders


def test_capabilities_are_packages_not_prefixed_modules() -> None:
    offenders = set()
    for domain in DOMAINS:
        offenders |= prefixed_parts(_sources(PACKAGE / domain))
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("athlos.activities.models", "activities"),
        ("athlos.activities.recording.models", "activities"),
        ("athlos.activities.recording.models.Recording", "activities"),
        ("athlos.accounts.profiles.models", "accounts"),
        ("athlos.activities.service", None),
        ("athlos.core.events.models", None),
        ("athlos.vocabulary.sports", None),
    ],
)
def test_models_are_told_by_their_domain_at_any_depth(name: str, domain: str | None) -> None:
    assert owning_domain_models(name) == domain


def test_the_checks_catch_a_violation(tmp_path: Path) -> None:
    """Each rule fails on a module that breaks it, so a green run means something."""
    reader = tmp_path / "service.py"
    reader.write_text("from athlos.activities.recording.models import Recording\nimport athlos.core.db\n")
    prefixed = tmp_path / "records_api.py"
    prefixed.write_text("")
    crossing = f"{reader}: athlos.activities.recording.models"
    assert models_crossings("analytics", [reader]) == {crossing, f"{crossing}.Recording"}
    assert models_crossings("activities", [reader]) == set()
    assert prefixed_parts([reader, prefixed]) == {str(prefixed)}
