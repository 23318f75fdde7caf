"""docs/glossary.md names code that exists: every code name in its third column is found in the project.

A name is checked by its kind: a path (`data/calendar/VN.yaml`) must exist; a role, an action or a
setting must be one the code defines; a dotted or plain identifier must be defined somewhere in the
`motcua` package (module, class, function, attribute or enum member), each of its parts.
"""

import ast
import re
from functools import cache
from pathlib import Path

from django.conf import settings

from motcua.core import roles

ROOT = Path(settings.BASE_DIR)
GLOSSARY = ROOT / "docs" / "glossary.md"
PACKAGE = ROOT / "motcua"
CODE = re.compile(r"`([^`]+)`")


@cache
def defined_names() -> frozenset[str]:
    """Every name the package defines: modules, classes, functions, assigned names and attributes."""
    names: set[str] = {"motcua"}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        names.update(path.relative_to(PACKAGE).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
                names.update(t.attr for t in node.targets if isinstance(t, ast.Attribute))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    names.discard("__init__")
    return frozenset(names)


def _actions() -> set[str]:
    from motcua.dossiers.actions import REGISTRY

    return set(REGISTRY)


def problems_in(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if len(cells) < 3:
        return []
    code_cell = cells[2]
    found = []
    for match in CODE.finditer(code_cell):
        name = match.group(1)
        before = code_cell[:match.start()].rstrip()
        if "/" in name:
            if not (ROOT / name).exists():
                found.append(f"{name}: no such file")
        elif before.endswith("role"):
            if name not in roles.ROLE_LABELS:
                found.append(f"role {name}: not a role")
        elif before.endswith("action"):
            if name not in _actions():
                found.append(f"action {name}: not an action")
        elif name.startswith("MOTCUA_"):
            if not any(name in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")):
                found.append(f"{name}: no such setting")
        else:
            parts = [part for part in re.split(r"[.\s]+", name) if part]
            missing = [part for part in parts if part.isidentifier() and part not in defined_names()]
            if missing or not parts:
                found.append(f"{name}: {', '.join(missing) or 'empty'} not defined")
    return found


def test_every_code_name_in_the_glossary_exists():
    rows = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
            if line.startswith("|") and not line.startswith("| ---") and not line.startswith("| Vietnamese")]
    assert len(rows) > 40
    problems = [f"{row.split('|')[1].strip()}: {p}" for row in rows for p in problems_in(row)]
    assert problems == []


def test_the_check_catches_a_name_that_does_not_exist():
    assert problems_in("| hồ sơ | dossier | `Dossier` |") == []
    assert problems_in("| x | y | `NoSuchModel.field` |") == ["NoSuchModel.field: NoSuchModel not defined"]
    assert problems_in("| x | y | role `wizard` |") == ["role wizard: not a role"]
    assert problems_in("| x | y | `data/nowhere.yaml` |") == ["data/nowhere.yaml: no such file"]
