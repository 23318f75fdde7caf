"""Each indicator of the Decision 766 index on hand-computed data, its scopes and the dossiers behind it."""

import datetime as dt

import pytest

from motcua.core.errors import NotFound, ValidationFailed
from motcua.insights import selectors, transparency_selectors
from motcua.insights.policies import AGENCY, BRANCH, CITY, Scope

from .factories import at, dossier

NOVEMBER = selectors.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def indicator(index, code):
    return next(i for g in index.groups for i in g.indicators if i.code == code)


def city(period=NOVEMBER):
    return selectors.service_index(Scope(CITY), period)


@pytest.fixture
def resolved(world):
    """Four resolved in November: early, on time (same day, earlier hour), late with an apology, late without;
    one refused on time; one open; one resolved in October (outside the period)."""
    early = dossier(world, received=at(2), due=at(10, 17), result=at(6))
    on_time = dossier(world, received=at(2), due=at(10, 17), result=at(10, 11), channel="online")
    apologised = dossier(world, received=at(3), original_due=at(9, 17), due=at(20, 17), result=at(12))
    late = dossier(world, received=at(3), due=at(9, 17), result=at(13), branch=world.other_branch,
                   agency=world.other_department)
    refused = dossier(world, received=at(4), due=at(12, 17), result=at(5), state="refused")
    dossier(world, received=at(5), due=at(25, 17))
    dossier(world, received=at(20, month=10), due=at(25, 17, month=10), result=at(24, month=10))
    return {"early": early, "on_time": on_time, "apologised": apologised, "late": late, "refused": refused}


def test_on_time_rate_counts_early_and_on_time_against_the_first_appointment(resolved):
    # 5 resolved in November (the refusal included): early, on time, refused on time = 3 on time; the
    # apology moved one appointment but it is late against the first one.
    found = indicator(city(), "2.1")
    assert (found.numerator, found.denominator) == (3, 5)
    assert found.value == 60.0 and found.score == 12.0  # 20 × 3/5


def test_apology_share_is_of_the_late_dossiers(resolved):
    found = indicator(city(), "1.3")
    assert (found.numerator, found.denominator) == (1, 2)
    assert found.score == 4.0  # 8 × 1/2


def test_online_share_counts_the_online_and_national_portal_channels(resolved, world):
    dossier(world, received=at(6), due=at(20, 17), channel="national_portal")
    dossier(world, received=at(6), due=at(20, 17), channel="post")
    found = indicator(city(), "4.2")
    # Received in November: the 6 of the fixture and these 2; online: 1 online + 1 national portal.
    assert (found.numerator, found.denominator) == (2, 8)
    assert found.score == 3.0  # 12 × 2/8


def test_digitised_share_needs_every_document_electronic(world):
    dossier(world, received=at(2), documents=(("upload", "a.pdf"), ("registry", "")))
    dossier(world, received=at(2), documents=(("upload", "a.pdf"), ("shown", "")))
    dossier(world, received=at(2), documents=(("supplement", "b.pdf"),))
    found = indicator(city(), "3.1")
    assert (found.numerator, found.denominator) == (2, 3)
    assert found.value == 66.67 and found.score == 5.33


def test_electronic_results_leave_refusals_out(world):
    dossier(world, received=at(2), due=at(10), result=at(4), result_file="results/a.pdf")
    dossier(world, received=at(2), due=at(10), result=at(4))
    dossier(world, received=at(2), due=at(10), result=at(4), state="refused")
    found = indicator(city(), "3.2")
    assert (found.numerator, found.denominator) == (1, 2)
    assert found.score == 4.0


def test_data_reuse_is_counted_over_persons_only(world):
    dossier(world, received=at(2), registry=True)
    dossier(world, received=at(2))
    dossier(world, received=at(2), kind="organisation")
    found = indicator(city(), "3.3")
    assert (found.numerator, found.denominator) == (1, 2)
    assert found.score == 3.0


def test_full_online_procedures_share(world):
    world.birth.online_level = "full"
    world.birth.save()
    found = indicator(city(), "4.1")
    assert (found.numerator, found.denominator) == (1, 2)
    assert found.score == 3.0


def test_indicators_without_data_say_so_and_do_not_count(world):
    index = city()
    for code in ("1.1", "1.2", "4.3", "5.1", "5.2"):
        found = indicator(index, code)
        assert found.score is None and found.numerator is None and found.reason
    # Nothing received: the dossier indicators have no score either (no denominator), and no reason.
    assert indicator(index, "2.1").score is None and indicator(index, "2.1").denominator == 0
    # Only 4.1 is scored: no procedure of the two is fully online.
    assert indicator(index, "4.1").score == 0.0 and index.total == 0 and index.max_computed == 6

def test_group_maxima_are_those_of_the_decision(world):
    index = city()
    assert [(g.code, g.max) for g in index.groups] == [("transparency", 18), ("progress", 20),
                                                        ("digitisation", 22), ("online", 22), ("satisfaction", 18)]
    for group in index.groups:
        assert sum(i.max for i in group.indicators) == group.max
    assert all(i.formula for g in index.groups for i in g.indicators)


def test_a_branch_scope_counts_only_its_dossiers(resolved, world):
    found = indicator(selectors.service_index(Scope(BRANCH, branch=world.other_branch), NOVEMBER), "2.1")
    assert (found.numerator, found.denominator) == (0, 1)
    found = indicator(selectors.service_index(Scope(AGENCY, agency=world.department), NOVEMBER), "2.1")
    assert (found.numerator, found.denominator) == (3, 4)


def test_the_dossiers_behind_a_figure_are_those_counted(resolved):
    numerator = set(selectors.dossiers_behind(Scope(CITY), NOVEMBER, "2.1", "numerator"))
    denominator = set(selectors.dossiers_behind(Scope(CITY), NOVEMBER, "2.1", "denominator"))
    assert numerator == {resolved["early"], resolved["on_time"], resolved["refused"]}
    assert denominator == numerator | {resolved["apologised"], resolved["late"]}
    assert set(selectors.dossiers_behind(Scope(CITY), NOVEMBER, "1.3", "numerator")) == {resolved["apologised"]}
    with pytest.raises(NotFound):
        selectors.dossiers_behind(Scope(CITY), NOVEMBER, "5.1", "numerator")
    with pytest.raises(ValidationFailed):
        selectors.dossiers_behind(Scope(CITY), NOVEMBER, "2.1", "everything")


@pytest.mark.parametrize(("start", "end", "code"), [("2026-13-01", None, "invalid_date"),
                                                      ("2026-11-30", "2026-11-01", "invalid_period"),
                                                      ("2025-01-01", "2026-11-01", "period_too_long")])
def test_bad_periods_are_refused_with_a_code(start, end, code):
    with pytest.raises(ValidationFailed) as error:
        selectors.parse_period(start, end, dt.date(2026, 12, 7))
    assert error.value.code == code


def test_the_default_period_is_the_month_to_date():
    assert selectors.parse_period(None, None, dt.date(2026, 12, 7)) == selectors.Period(dt.date(2026, 12, 1),
                                                                                         dt.date(2026, 12, 7))


def test_transparency_tallies_per_agency(resolved, world):
    rows = {t.key: t for t in transparency_selectors.transparency(NOVEMBER, by="agency")}
    department = rows[world.department.code]
    assert (department.received, department.resolved, department.early, department.on_time, department.late,
            department.apologies) == (5, 4, 2, 1, 1, 1)  # early: the first and the refusal
    other = rows[world.other_department.code]
    assert (other.received, other.resolved, other.late, other.on_time_percent) == (1, 1, 1, 0.0)
