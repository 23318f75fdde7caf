"""The catalog's YAML format (data/catalog/): parsing with line numbers and validation.

A procedure file is a list of mappings; every problem is reported as (file, line, field, message).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from motcua.core.datafiles import LineDict, read_yaml
from motcua.core.text import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FieldSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    service_group: str = Field(pattern=r"^[a-z0-9-]+$")


class DocumentSpec(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["original", "copy", "certified_copy", "shown"] = "original"
    count: int = Field(default=1, ge=0, le=99)
    registry_replaces: bool = False
    optional: bool = False


class ExemptionSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40)
    name: str = Field(min_length=1, max_length=300)
    percent: int = Field(default=100, ge=1, le=100)
    evidence: str = Field(default="", max_length=300)


class FeeSpec(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["charge", "fee"] = "charge"
    amount: int = Field(ge=0)
    per: str | None = None
    exemptions: str | None = None
    basis: Literal["fixed", "per_unit", "percent"] = "fixed"
    tiers: list[tuple[int, int]] = []
    rate: Decimal | None = Field(default=None, ge=0, max_digits=7, decimal_places=4)
    floor: int | None = Field(default=None, ge=0)
    cap: int | None = Field(default=None, ge=0)
    online_amount: int | None = Field(default=None, ge=0)
    council_set: bool = False
    optional: bool = False
    exempt: list[ExemptionSpec] = []

    @model_validator(mode="after")
    def rule_is_whole(self):
        if self.basis == "percent" and self.rate is None:
            raise ValueError("a percent fee needs its rate")
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValueError("floor above cap")
        if any(start < 1 or price < 0 for start, price in self.tiers):
            raise ValueError("tiers are [from unit n >= 1, price >= 0]")
        if len({e.code for e in self.exempt}) != len(self.exempt):
            raise ValueError("exemption codes repeat")
        return self


class ChannelFeeRuleSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40)
    name: str = Field(min_length=1, max_length=300)
    legal_basis: str = Field(default="", max_length=300)
    channels: list[Literal["counter", "online", "post", "national_portal"]] = Field(min_length=1)
    council_set_only: bool = True
    percent: int = Field(default=100, ge=1, le=100)
    valid_from: date | None = None
    valid_until: date | None = None


class RouteStepSpec(_Strict):
    name: str = Field(min_length=1)
    role: Literal["reception", "agency_officer", "agency_leader", "branch_leader"]
    agency: str = Field(min_length=1, description="center, competent, or an agency code")
    hours: Decimal = Field(gt=0, max_digits=6, decimal_places=2)


class ProcedureSpec(_Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z.\-]+$", max_length=40)
    name: str = Field(min_length=3, max_length=1200)
    field: str
    level: Literal["central", "province", "commune"]
    agency: str
    legal_basis: str = ""
    processing_days: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    processing_note: str = ""
    result: str = ""
    online_level: Literal["full", "partial", "none"] = "none"
    anywhere: bool = True
    branches: list[int] = Field([], description="when not anywhere: the numbers of the branches that take it")
    source: str = ""
    to_verify: list[str] = []
    documents: list[DocumentSpec] = Field(min_length=1)
    fees: list[FeeSpec] = []
    pay_before_processing: bool = False
    route: list[RouteStepSpec] = Field(min_length=1)

    @field_validator("code", mode="before")
    @classmethod
    def code_is_text(cls, value):
        if not isinstance(value, str):
            raise ValueError("must be quoted text, e.g. \"1.001193\" (a bare number loses its zeros)")
        return value

    @model_validator(mode="after")
    def branches_only_when_not_anywhere(self):
        if self.branches and self.anywhere:
            raise ValueError("branches lists where a procedure may be filed: set anywhere: false with it")
        if any(number < 1 for number in self.branches):
            raise ValueError("branches are branch numbers (1, 2, …)")
        return self

    @model_validator(mode="after")
    def route_fits_legal_time(self):
        total = sum(step.hours for step in self.route)
        if total > self.processing_days * 8:
            raise ValueError(f"route takes {total} working hours, more than the legal "
                             f"{self.processing_days} working days ({self.processing_days * 8} h)")
        return self


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


def load_yaml(path: Path) -> object:
    """Parse a YAML file keeping line numbers; a syntax error names the file and line."""
    return read_yaml(path)


def _line_of(node: object, loc: tuple) -> int | None:
    """The line of the deepest mapping/key on the error's path."""
    line = getattr(node, "line", None)
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            line = node.key_lines.get(part, node.line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def validate_items(items: object, model: type[BaseModel], file: str) -> tuple[list, list[Problem]]:
    """Validate a YAML list of mappings against `model`; returns (valid specs, problems)."""
    if not isinstance(items, list):
        return [], [Problem(file, 1, "-", "the file must hold a list")]
    specs, problems = [], []
    for item in items:
        if not isinstance(item, dict):
            problems.append(Problem(file, None, "-", "each entry must be a mapping"))
            continue
        try:
            specs.append((model.model_validate(dict(item)), item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                label = item.get("code", "?") if isinstance(item, dict) else "?"
                field = ".".join(str(p) for p in loc) or "-"
                problems.append(Problem(file, _line_of(item, loc) or getattr(item, "line", None),
                                        f"{label}.{field}" if field != "-" else str(label), err["msg"]))
    return specs, problems


class ElsewhereSpec(_Strict):
    """An entry of `elsewhere.yaml`: what the center does not receive, and where it is filed instead."""

    code: str = Field(pattern=r"^[a-z0-9-]+$", max_length=80)
    name: str = Field(min_length=3, max_length=300)
    aliases: list[str] = Field(min_length=1, description="phrases citizens type; matched as whole words")
    procedure_codes: list[str] = []
    where: str = Field(min_length=3)
    online_url: str = ""
    legal_basis: str = ""
    source: str = ""
    to_verify: list[str] = []

    @field_validator("aliases")
    @classmethod
    def aliases_have_words(cls, value: list[str]) -> list[str]:
        if any(not fold(alias).strip() or not any(c.isalnum() for c in alias) for alias in value):
            raise ValueError("each alias must hold at least one word")
        return value

    @field_validator("online_url", "source")
    @classmethod
    def is_a_web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address (https://…)")
        return value
