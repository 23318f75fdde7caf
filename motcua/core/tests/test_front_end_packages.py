"""package.json holds what is used: the pages' libraries are served by a template, the rest serve the tests."""

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def package_json() -> dict:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))


def sources(pattern: str, folder: str) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / folder).rglob(pattern)))


def test_every_dependency_is_served_by_a_template():
    templates = sources("*.html", "motcua")
    dependencies = package_json()["dependencies"]
    assert dependencies, "the pages use htmx at least"
    unused = [name for name in dependencies if f"vendor/{name}/" not in templates]
    assert not unused, f"in package.json but in no template (static 'vendor/<package>/…'): {unused}"


def test_every_dev_dependency_is_used_by_the_browser_tests():
    browser_tests = sources("*.py", "e2e")
    unused = [name for name in package_json().get("devDependencies", {}) if f'"{name}"' not in browser_tests]
    assert not unused, f"devDependencies the browser tests do not use: {unused}"


def test_the_lock_file_pins_exactly_what_package_json_asks():
    package = package_json()
    root = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"][""]
    assert root.get("dependencies", {}) == package.get("dependencies", {})
    assert root.get("devDependencies", {}) == package.get("devDependencies", {})


def test_make_install_installs_the_dev_dependencies_too():
    result = subprocess.run(
        ["make", "-n", "-B", "-o", ".venv/.installed", "install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    npm = next(line for line in result.stdout.splitlines() if line.startswith("npm "))
    assert re.search(r"\bnpm ci\b", npm) and "--include=dev" in npm and "--omit=dev" not in npm
