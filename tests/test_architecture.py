"""The module borders of ARCHITECTURE.md, checked on the source: core imports no domain, and no domain
reads another domain's tables."""

from __future__ import annotations

import ast
from pathlib import Path

from athlos.modules import DOMAINS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "athlos"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_core_imports_no_domain() -> None:
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / "core").rglob("*.py")
        for name in _imports(path)
        if name.split(".")[:2][-1] in {*DOMAINS, "web", "app", "cli"} and name.startswith("athlos.")
    }
    assert not offenders, offenders


def test_domains_do_not_import_each_others_models() -> None:
    offenders = set()
    for domain in DOMAINS:
        for path in (PACKAGE / domain).rglob("*.py") if (PACKAGE / domain).exists() else ():
            for name in _imports(path):
                parts = name.split(".")
                crosses = len(parts) >= 3 and parts[0] == "athlos" and parts[1] in DOMAINS
                if crosses and parts[1] != domain and parts[2] == "models":
                    offenders.add(f"{path.relative_to(PACKAGE)}: {name}")
    assert not offenders, offenders
