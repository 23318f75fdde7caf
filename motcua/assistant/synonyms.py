"""The synonym list (data/assistant/synonyms.yaml): abbreviations, colloquial names, question words.

It is data a province edits: every phrase in it is compared after the catalog's own normalisation
(`core.text.tokens`: lower case, diacritics dropped, đ→d), so it may be typed with or without marks.
The file is read again when it changes (its modification time), without a restart.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

from motcua.core.text import tokens

logger = logging.getLogger(__name__)


def words_of(text: str) -> tuple[str, ...]:
    """The folded words of `text`, as the catalog's search sees them (no bigrams)."""
    return tuple(token for token in tokens(str(text)) if "_" not in token)


@dataclass(frozen=True)
class Synonyms:
    # folded phrase (as words) -> folded replacement words; longest phrases tried first
    abbreviations: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # procedure code -> its colloquial names, each as folded words
    procedures: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    stopwords: frozenset[tuple[str, ...]] = frozenset()


class SynonymsError(ValueError):
    """The synonym file cannot be read: its path and what is wrong."""


def synonyms_path() -> Path:
    return Path(getattr(settings, "MOTCUA_ASSISTANT_SYNONYMS", settings.DATA_DIR / "assistant" / "synonyms.yaml"))


def parse(data: object, source: str = "synonyms.yaml") -> Synonyms:
    """Synonyms from the file's YAML content; SynonymsError naming the part that is wrong."""
    if data is None:
        return Synonyms()
    if not isinstance(data, dict):
        raise SynonymsError(f"{source}: expected a mapping with abbreviations, procedures, stopwords")
    unknown = set(data) - {"abbreviations", "procedures", "stopwords"}
    if unknown:
        raise SynonymsError(f"{source}: unknown keys {sorted(unknown)}")
    abbreviations: dict[tuple[str, ...], tuple[str, ...]] = {}
    for short, full in (data.get("abbreviations") or {}).items():
        key, value = words_of(short), words_of(full)
        if not key or not value:
            raise SynonymsError(f"{source}: abbreviations: {short!r} → {full!r} has no words")
        abbreviations[key] = value
    procedures: dict[str, tuple[tuple[str, ...], ...]] = {}
    for code, names in (data.get("procedures") or {}).items():
        if not isinstance(names, list) or not all(isinstance(name, str) and words_of(name) for name in names):
            raise SynonymsError(f"{source}: procedures: {code!r} needs a list of names")
        procedures[str(code)] = tuple(words_of(name) for name in names)
    stopwords = frozenset(words_of(word) for word in (data.get("stopwords") or []) if words_of(str(word)))
    return Synonyms(abbreviations=abbreviations, procedures=procedures, stopwords=stopwords)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Synonyms:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SynonymsError(f"{path}: {exc}") from exc
    return parse(data, path)


_last_good: list[Synonyms] = []


def current() -> Synonyms:
    """The synonyms in force (an absent file means none). A file that cannot be read does not stop the
    assistant: the last good list stays in force (none before the first), and the error is logged."""
    path = synonyms_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return Synonyms()
    try:
        found = _load(str(path), mtime)
    except SynonymsError as error:
        logger.error("assistant synonyms not loaded, keeping the previous ones: %s", error)
        return _last_good[0] if _last_good else Synonyms()
    _last_good[:] = [found]
    return found


def _replace(words: list[str], table: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i:i + size])
            if phrase in table:
                out.extend(table[phrase])
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def expand(words: tuple[str, ...] | list[str], synonyms: Synonyms) -> list[str]:
    """Folded words with abbreviations and typos of the list replaced by their full form (longest first)."""
    longest = max((len(key) for key in synonyms.abbreviations), default=1)
    return _replace(list(words), synonyms.abbreviations, longest)


def content_words(words: tuple[str, ...] | list[str], synonyms: Synonyms) -> list[str]:
    """`words` expanded, without the question words (stop words and phrases)."""
    longest = max((len(key) for key in synonyms.stopwords), default=1)
    return _replace(expand(words, synonyms), dict.fromkeys(synonyms.stopwords, ()), longest)
