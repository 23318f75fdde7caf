"""Reading the project's YAML data files with line numbers, so that every problem can say where it is."""

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping that remembers its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """The safe loader, building LineDicts."""


def _construct_mapping(loader, node, deep=False):
    mapping = LineDict(yaml.SafeLoader.construct_mapping(loader, node, deep=deep))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _v in node.value if hasattr(k, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class DataFileError(ValueError):
    """A data file that cannot be read at all (missing, or not valid YAML)."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.problem = str(path), line, message
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely, mappings as LineDicts; DataFileError names file and line."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, None, "file not found")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (safe subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(path, mark.line + 1 if mark else None,
                            f"YAML syntax: {getattr(exc, 'problem', exc)}") from exc
