"""Fee rules (catalog/fees.py): one test per kind of rule, exemption and channel rule."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.fees import ChannelRule, Exemption, FeeFacts, FeeRule, compute
from motcua.core.errors import ValidationFailed

NQ77 = ChannelRule(name="NQ 77/2025", channels=frozenset({"online", "national_portal"}),
                   valid_from=dt.date(2026, 1, 1))
COPY = FeeRule(position=1, name="Phí chứng thực bản sao", kind="fee", basis="per_unit", amount=2000, unit="trang",
               tiers=((3, 1000),), cap=200_000)


def test_a_fixed_fee_is_charged_once():
    rule = FeeRule(position=1, name="Lệ phí", amount=50_000)
    assert compute([rule], FeeFacts()).total == 50_000


def test_a_per_unit_fee_counts_the_units_and_the_copies():
    rule = FeeRule(position=1, name="Bản sao trích lục", kind="fee", basis="per_unit", amount=8_000, unit="bản")
    assessment = compute([rule], FeeFacts(units={1: 3}))
    assert assessment.total == 24_000 and assessment.lines[0].quantity == 3
    assert compute([rule], FeeFacts(units={1: 1}, copies={1: 2})).total == 16_000


def test_a_per_unit_fee_without_a_declared_count_is_provisional():
    rule = FeeRule(position=1, name="Bản sao trích lục", kind="fee", basis="per_unit", amount=8_000, unit="bản")
    assert compute([rule], FeeFacts()).provisional and compute([rule], FeeFacts()).total == 8_000
    assert not compute([rule], FeeFacts(units={1: 1})).provisional


def test_pages_from_the_third_cost_less():
    # 2,000 đ for pages 1-2, 1,000 đ from page 3: 5 pages = 4,000 + 3,000.
    assert compute([COPY], FeeFacts(units={1: 5})).total == 7_000


def test_the_cap_holds_per_copy():
    # 300 pages would be 302,000 đ a copy: capped at 200,000 đ, for each of the two copies.
    assert compute([COPY], FeeFacts(units={1: 300}, copies={1: 2})).total == 400_000


def test_a_percentage_of_the_declared_value_is_rounded_then_held_between_floor_and_cap():
    rule = FeeRule(position=1, name="Phí thẩm định", kind="fee", basis="percent", rate=Decimal("0.15"),
                   floor=100_000, cap=5_000_000)
    assert compute([rule], FeeFacts(values={1: 200_000_003})).total == 300_000  # 300,000.0045 rounds down
    assert compute([rule], FeeFacts(values={1: 1_000_000})).total == 100_000  # floor
    assert compute([rule], FeeFacts(values={1: 10_000_000_000})).total == 5_000_000  # cap
    assert compute([rule], FeeFacts(values={1: 333_333_333})).total == 500_000  # 499,999.9995 rounds up


def test_a_percentage_without_a_declared_value_is_refused():
    rule = FeeRule(position=1, name="Phí thẩm định", basis="percent", rate=Decimal("0.15"))
    with pytest.raises(ValidationFailed) as refused:
        compute([rule], FeeFacts())
    assert refused.value.code == "declared_value_required"


def test_a_negative_quantity_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        compute([COPY], FeeFacts(units={1: -1}))
    assert refused.value.code == "fee_quantity_invalid"


def test_several_fees_on_one_dossier_add_up():
    charge = FeeRule(position=1, name="Lệ phí đăng ký doanh nghiệp", amount=50_000)
    fee = FeeRule(position=2, name="Phí công bố", kind="fee", amount=100_000)
    assessment = compute([fee, charge], FeeFacts())
    assert [line.position for line in assessment.lines] == [1, 2] and assessment.total == 150_000


MERIT = Exemption(code="merit", name="Người có công với cách mạng", percent=100, evidence="Giấy chứng nhận người có công")
POOR = Exemption(code="poor", name="Hộ nghèo", percent=50, evidence="Giấy chứng nhận hộ nghèo")
DEATH = FeeRule(position=1, name="Lệ phí đăng ký khai tử", amount=10_000, council_set=True, exemptions=(MERIT, POOR))


def test_an_exemption_with_its_evidence_makes_the_fee_zero():
    line = compute([DEATH], FeeFacts(claims={"merit": True})).lines[0]
    assert (line.base, line.reduction, line.amount, line.reasons) == (10_000, 10_000, 0, (MERIT.name,))


def test_a_reduction_takes_its_share():
    assert compute([DEATH], FeeFacts(claims={"poor": True})).total == 5_000


def test_an_exemption_without_its_evidence_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        compute([DEATH], FeeFacts(claims={"merit": False}))
    assert refused.value.code == "exemption_evidence_missing"
    assert "Giấy chứng nhận người có công" in str(refused.value.message)


def test_an_exemption_the_procedure_does_not_have_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        compute([DEATH], FeeFacts(claims={"children": True}))
    assert refused.value.code == "exemption_unknown"


def test_the_largest_reduction_wins_and_reductions_do_not_add_up():
    assert compute([DEATH], FeeFacts(claims={"poor": True, "merit": True})).total == 0
    half = compute([DEATH], FeeFacts(channel="counter", claims={"poor": True}))
    assert half.lines[0].reduction == 5_000


def test_council_set_fees_are_zero_online_from_2026():
    online = FeeFacts(channel="online", on=dt.date(2026, 1, 1))
    line = compute([DEATH], online, [NQ77]).lines[0]
    assert line.amount == 0 and line.reasons == ("NQ 77/2025",)


def test_the_channel_rule_does_not_apply_at_the_counter_nor_before_it_is_in_force():
    assert compute([DEATH], FeeFacts(channel="counter", on=dt.date(2026, 3, 1)), [NQ77]).total == 10_000
    assert compute([DEATH], FeeFacts(channel="online", on=dt.date(2025, 12, 31)), [NQ77]).total == 10_000


def test_the_channel_rule_leaves_fees_set_by_the_ministry():
    ministry = FeeRule(position=1, name="Lệ phí đăng ký doanh nghiệp", amount=50_000, council_set=False)
    assert compute([ministry], FeeFacts(channel="online", on=dt.date(2026, 3, 1)), [NQ77]).total == 50_000


def test_an_online_price_replaces_the_counter_price_online():
    residence = FeeRule(position=1, name="Lệ phí đăng ký thường trú", amount=20_000, online_amount=10_000)
    assert compute([residence], FeeFacts(channel="counter")).total == 20_000
    assert compute([residence], FeeFacts(channel="online")).total == 10_000
    assert compute([residence], FeeFacts(channel="national_portal")).total == 10_000


def test_an_undetermined_amount_charges_nothing_and_says_so():
    assessment = compute([FeeRule(position=1, name="Phí thẩm định", amount=None)], FeeFacts())
    assert assessment.total == 0 and assessment.undetermined


@given(pages=st.integers(min_value=0, max_value=1000), copies=st.integers(min_value=0, max_value=20))
def test_certified_copies_never_exceed_the_cap_and_grow_with_the_pages(pages, copies):
    total = compute([COPY], FeeFacts(units={1: pages}, copies={1: copies})).total
    more = compute([COPY], FeeFacts(units={1: pages + 1}, copies={1: copies})).total
    assert 0 <= total <= 200_000 * copies and total <= more
    assert total == copies * min(200_000, 2000 * min(pages, 2) + 1000 * max(pages - 2, 0))


def test_an_optional_per_unit_fee_is_charged_only_for_what_is_declared():
    extra = FeeRule(position=2, name="Phí cấp bản sao (nếu có yêu cầu)", kind="fee", basis="per_unit", amount=8_000,
                    optional=True)
    assert compute([extra], FeeFacts()).total == 0
    assert compute([extra], FeeFacts(units={2: 2})).total == 16_000
