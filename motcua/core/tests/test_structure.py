"""The layers of ARCHITECTURE.md hold in the code: a lower layer never imports a higher one.

core, worktime, integrations, pdf < org < catalog < dossiers, queueing, ratings < payments. The imports are read
from the source (every `import motcua.x` / `from motcua.x …`, at any depth, tests and migrations left
out), so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
LAYERS = {
    "core": 0, "worktime": 0, "integrations": 0, "pdf": 0,
    "org": 1,
    "catalog": 2,
    "dossiers": 3, "queueing": 3, "ratings": 3,
    "payments": 4,  # composes dossiers: an invoice per dossier; dossiers reach it by domain events only
    "insights": 4,
}
# core is the shared kernel beside integrations on the ground floor, not an app of the domain.
APPS = {p.parent.name for p in PACKAGE.glob("*/apps.py")} - {"core"}


def _sources(package: str):
    for path in sorted((PACKAGE / package).rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name.split(".")[1] for name in names if name.startswith("motcua.") and name.count(".") >= 1}


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_no_layer_imports_a_higher_one(package):
    upward = {f"{path.relative_to(PACKAGE)} imports motcua.{other}"
              for path in _sources(package) for other in _imported_packages(path)
              if other in LAYERS and LAYERS[other] > LAYERS[package]}
    assert upward == set()


def test_integrations_know_no_app():
    apps = {f"{path.relative_to(PACKAGE)} imports motcua.{other}"
            for path in _sources("integrations") for other in _imported_packages(path) if other in APPS}
    assert apps == set()


def test_the_checker_sees_an_import_made_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from motcua.org.models import Person\n    import motcua.catalog\n")
    assert _imported_packages(module) == {"org", "catalog"}


def test_a_room_that_grew_is_a_package_not_a_sibling_with_a_suffix():
    siblings = sorted(str(path.relative_to(PACKAGE)) for pattern in ("*_booking.py", "views_*.py", "api_*.py")
                      for path in PACKAGE.rglob(pattern) if "tests" not in path.parts)
    assert siblings == []
