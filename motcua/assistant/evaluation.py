"""The evaluation set (data/assistant/evaluation-*.yaml) and its accuracy: top-1, top-3 per split.

`dev` holds the questions used while writing the synonym list; `test` holds questions written
afterwards and never used to change it: the accuracy reported for questions never seen is on `test`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Case:
    question: str
    code: str
    split: str


@dataclass
class Score:
    split: str
    total: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def top1_share(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_share(self) -> float:
        return self.top3 / self.total if self.total else 0.0


def evaluation_dir() -> Path:
    return Path(settings.DATA_DIR) / "assistant"


def load_cases(directory: Path | None = None) -> list[Case]:
    directory = directory or evaluation_dir()
    cases: list[Case] = []
    for split in SPLITS:
        for item in yaml.safe_load((directory / f"evaluation-{split}.yaml").read_text(encoding="utf-8")) or []:
            cases.append(Case(question=str(item["q"]), code=str(item["code"]), split=split))
    return cases


def score(cases: list[Case], rank: Callable[[str], list[str]]) -> dict[str, Score]:
    """Top-1 and top-3 accuracy of `rank` (question -> codes, best first) on each split."""
    scores = {split: Score(split) for split in SPLITS}
    for case in cases:
        codes = rank(case.question)[:3]
        result = scores[case.split]
        result.total += 1
        result.top1 += bool(codes) and codes[0] == case.code
        result.top3 += case.code in codes
        if not codes or codes[0] != case.code:
            result.misses.append((case.question, case.code, codes))
    return scores
