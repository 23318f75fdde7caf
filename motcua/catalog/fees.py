"""Fee rules (phí, lệ phí) and what a dossier owes: one pure function, `compute`, over plain data.

The rules are catalog data (`Fee`, `FeeExemption`, `ChannelFeeRule`, read by `selectors.fee_rules`);
this module knows no database. Money is an integer number of đồng; a percentage is rounded half up
to the đồng, then held between its floor and its cap.

- fixed: `amount` once per dossier.
- per unit: `amount` per unit (page, copy, plot, case; none unless declared when `optional`); `tiers` lower the price from the n-th unit
  (certification: 2,000 đ a page, from page 3 1,000 đ); `cap` is per copy, `copies` multiplies.
- percent: `rate` per cent of a declared value, at least `floor`, at most `cap`.
- a channel price (`online_amount`) replaces `amount` on the online channels.
- channel rules (Hanoi's Resolution 77/2025/NQ-HĐND: council-set fees are 0 đ online from 01/01/2026)
  reduce every council-set fee on their channels while they are in force.
- exemptions and reductions (people with meritorious services, poor households, …) apply when
  claimed, and only with their evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed

FIXED, PER_UNIT, PERCENT = "fixed", "per_unit", "percent"
BASES = (FIXED, PER_UNIT, PERCENT)
ONLINE_CHANNELS = frozenset({"online", "national_portal"})


@dataclass(frozen=True)
class Exemption:
    """A reduction of one fee (100 = exempt) for a class of payers, with the evidence it needs."""

    code: str
    name: str
    percent: int = 100
    evidence: str = ""


@dataclass(frozen=True)
class FeeRule:
    position: int
    name: str
    kind: str = "charge"  # "charge" (lệ phí) | "fee" (phí)
    basis: str = FIXED
    amount: int | None = 0  # None: not determined yet (the line is shown, nothing is charged)
    unit: str = ""
    tiers: tuple[tuple[int, int], ...] = ()  # (from unit n, price per unit from there)
    rate: Decimal | None = None  # per cent, for PERCENT
    floor: int | None = None
    cap: int | None = None
    online_amount: int | None = None
    council_set: bool = False  # set by the provincial council (Hanoi: Resolution 77/2025 applies)
    optional: bool = False  # charged only for the units declared (extra copies on request)
    exemptions: tuple[Exemption, ...] = ()


@dataclass(frozen=True)
class ChannelRule:
    """A reduction of council-set fees (or of all fees) on some channels, between two dates."""

    name: str
    channels: frozenset[str]
    percent: int = 100
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    council_set_only: bool = True

    def applies(self, rule: FeeRule, channel: str, on: dt.date) -> bool:
        if channel not in self.channels or (self.council_set_only and not rule.council_set):
            return False
        return (self.valid_from is None or on >= self.valid_from) and (self.valid_until is None or on <= self.valid_until)


@dataclass
class FeeFacts:
    """What the payer declares: units and copies per fee position, declared values, exemptions claimed.

    `claims` maps an exemption code to whether its evidence was given (shown or attached).
    """

    channel: str = "counter"
    on: dt.date = field(default_factory=dt.date.today)
    units: dict[int, int] = field(default_factory=dict)
    copies: dict[int, int] = field(default_factory=dict)
    values: dict[int, int] = field(default_factory=dict)
    claims: dict[str, bool] = field(default_factory=dict)


def facts_from_declaration(declaration: dict | None, *, channel: str, on: dt.date) -> FeeFacts:
    """The fee facts of what an applicant declared at intake (`declaration_of`'s JSON form, kept on the dossier)."""
    declaration = declaration or {}

    def by_position(key: str) -> dict[int, int]:
        return {int(position): value for position, value in (declaration.get(key) or {}).items()}

    return FeeFacts(channel=channel, on=on, units=by_position("units"), copies=by_position("copies"),
                    values=by_position("values"), claims=dict(declaration.get("claims") or {}))


def declaration_of(facts: FeeFacts) -> dict:
    """What was declared, as JSON (positions as strings); empty parts left out."""
    parts = {"units": {str(k): v for k, v in facts.units.items()}, "copies": {str(k): v for k, v in facts.copies.items()},
             "values": {str(k): v for k, v in facts.values.items()}, "claims": dict(facts.claims)}
    return {key: value for key, value in parts.items() if value}


@dataclass(frozen=True)
class FeeLine:
    position: int
    name: str
    kind: str
    base: int  # before reductions
    reduction: int
    amount: int
    quantity: int = 1
    undetermined: bool = False
    provisional: bool = False  # counted on one unit because none was declared: the fee counter confirms it
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def undetermined(self) -> bool:
        return any(line.undetermined for line in self.lines)

    @property
    def provisional(self) -> bool:
        return any(line.provisional for line in self.lines)


def _refuse(code: str, message, position: int) -> ValidationFailed:
    return ValidationFailed(message, code=code, details=[{"field": f"fee.{position}", "code": code}])


def _count(value: int | None, default: int, what: str, position: int) -> int:
    number = default if value is None else value
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise _refuse("fee_quantity_invalid", _("Số lượng tính phí không hợp lệ."), position)
    return number


def _per_copy(rule: FeeRule, price: int, units: int) -> int:
    """Units priced by their tiers (a later tier from its first unit on), then the per-copy cap."""
    total = 0
    for unit in range(1, units + 1):
        unit_price = price
        for start, tier_price in rule.tiers:
            if unit >= start:
                unit_price = tier_price
        total += unit_price
    return min(total, rule.cap) if rule.cap is not None else total


def _base(rule: FeeRule, facts: FeeFacts) -> tuple[int, int]:
    """The fee before reductions, and the quantity it was counted on."""
    price = rule.amount
    if rule.online_amount is not None and facts.channel in ONLINE_CHANNELS:
        price = rule.online_amount
    price = price or 0
    if rule.basis == FIXED:
        return price, 1
    if rule.basis == PER_UNIT:
        units = _count(facts.units.get(rule.position), 0 if rule.optional else 1, "units", rule.position)
        copies = _count(facts.copies.get(rule.position), 1, "copies", rule.position)
        return _per_copy(rule, price, units) * copies, units * copies
    value = facts.values.get(rule.position)
    if value is None:
        raise _refuse("declared_value_required",
                      _("Cần giá trị kê khai để tính %(name)s.") % {"name": rule.name}, rule.position)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _refuse("declared_value_invalid", _("Giá trị kê khai không hợp lệ."), rule.position)
    amount = int((Decimal(value) * (rule.rate or Decimal(0)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rule.floor is not None:
        amount = max(amount, rule.floor)
    if rule.cap is not None:
        amount = min(amount, rule.cap)
    return amount, 1


def _check_claims(rules: Sequence[FeeRule], claims: dict[str, bool]) -> None:
    known = {exemption.code: exemption for rule in rules for exemption in rule.exemptions}
    for code, evidence in claims.items():
        exemption = known.get(code)
        if exemption is None:
            raise ValidationFailed(_("Không có diện miễn, giảm này cho thủ tục."), code="exemption_unknown",
                                   details=[{"field": "exemption", "code": "exemption_unknown", "value": code}])
        if exemption.evidence and not evidence:
            raise ValidationFailed(
                _("Miễn, giảm “%(name)s” cần giấy tờ chứng minh: %(evidence)s.")
                % {"name": exemption.name, "evidence": exemption.evidence},
                code="exemption_evidence_missing",
                details=[{"field": "exemption", "code": "exemption_evidence_missing", "value": code}])


def compute(rules: Sequence[FeeRule], facts: FeeFacts, channel_rules: Sequence[ChannelRule] = ()) -> Assessment:
    """What the dossier owes, line by line: each fee's base, then the largest reduction that applies.

    Reductions do not add up: the payer gets the most favourable one (an exemption or a channel rule).
    """
    _check_claims(rules, facts.claims)
    lines = []
    for rule in sorted(rules, key=lambda r: r.position):
        if rule.basis not in BASES:
            raise _refuse("fee_basis_unknown", _("Cách tính phí không hợp lệ."), rule.position)
        base, quantity = _base(rule, facts)
        percent, reasons = 0, []
        for channel_rule in channel_rules:
            if channel_rule.applies(rule, facts.channel, facts.on) and channel_rule.percent >= percent:
                percent, reasons = channel_rule.percent, [channel_rule.name]
        for exemption in rule.exemptions:
            if exemption.code in facts.claims and exemption.percent > percent:
                percent, reasons = exemption.percent, [exemption.name]
        reduction = int((Decimal(base) * min(percent, 100) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        lines.append(FeeLine(position=rule.position, name=rule.name, kind=rule.kind, base=base,
                             reduction=reduction, amount=base - reduction, quantity=quantity,
                             undetermined=rule.amount is None and rule.basis != PERCENT,
                             provisional=rule.basis == PER_UNIT and not rule.optional
                             and rule.position not in facts.units,
                             reasons=tuple(reasons)))
    return Assessment(lines=tuple(lines))
