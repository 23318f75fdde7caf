"""The one-stop quality assessment: each of the nine indicators on hand-made dossiers, and the averages."""

import datetime as dt

import pytest

from motcua.complaints.models import Complaint
from motcua.dossiers.models import DossierStep, SupplementRequest
from motcua.insights import quality_selectors as quality
from motcua.insights.policies import CITY, Scope
from motcua.insights.selectors import Period

from .factories import at, dossier

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def scores_of(code):
    (row,) = [a for a in quality.assess(list(quality_query()), complaints(), at(1, month=12)) if a.dossier.code == code]
    return row.scores


def quality_query():
    from motcua.insights.selectors import resolved_in

    return resolved_in(Scope(CITY), NOVEMBER).select_related("procedure", "supplement").prefetch_related(
        "steps", "procedure__documents")


def complaints():
    found = {}
    for c in Complaint.objects.filter(about="dossier"):
        found.setdefault(c.about_reference, []).append(c)
    return found


def step(d, due, finished):
    return DossierStep.objects.create(dossier=d, position=1, name="Thẩm định", role="agency_officer", hours=8,
                                      agency=d.competent_agency, started_at=d.received_at, due_at=due,
                                      finished_at=finished)


def complaint(world, d, due, closed=None):
    return Complaint.objects.create(approved_by=world.director if closed else None, code=f"PA-{d.code}-{due:%d%H}", subject="Chậm", content="Hồ sơ chậm", name="An",
                                    phone="0912345678", about="dossier", about_reference=d.code,
                                    received_at=due - dt.timedelta(days=5), due_at=due, closed_at=closed,
                                    status="closed" if closed else "received")


@pytest.fixture
def land(world):
    world.land.legal_basis = "Nghị định 99/2022/NĐ-CP"
    world.land.online_level = "partial"
    world.land.save()
    return world.land


def test_an_early_online_dossier_with_no_supplement_and_no_complaint_scores_two_wherever_it_can(world, land):
    d = dossier(world, received=at(2), due=at(9, 17), result=at(5), channel="online")
    step(d, due=at(4, 17), finished=at(3))
    scores = scores_of(d.code)
    assert scores == {"total_time": 2, "step_time": 2, "contacts": 2, "agencies": 2, "one_stop": 2,
                      "disclosure": 2, "attitude": None, "feedback": 2, "online": 2}


def test_late_a_late_step_a_supplement_and_a_counter_filing_lower_the_scores(world, land):
    d = dossier(world, received=at(2), original_due=at(9, 17), due=at(20, 17), result=at(12))
    step(d, due=at(4, 17), finished=at(6))
    SupplementRequest.objects.create(dossier=d, items=[], requested_at=at(3), supplied_at=at(4),
                                     resume_state="processing")
    scores = scores_of(d.code)
    assert (scores["total_time"], scores["step_time"], scores["contacts"], scores["online"]) == (0, 0, 1, 1)


def test_on_time_is_one_and_no_recorded_step_has_no_score(world, land):
    d = dossier(world, received=at(2), due=at(9, 17), result=at(9, 16))
    scores = scores_of(d.code)
    assert (scores["total_time"], scores["step_time"]) == (1, None)


def test_disclosure_counts_the_documents_time_limit_and_legal_basis(world, land):
    d = dossier(world, received=at(2), due=at(9, 17), result=at(5), procedure=world.birth)
    assert world.birth.legal_basis == "" and world.birth.documents.exists()
    assert scores_of(d.code)["disclosure"] == 1
    world.birth.documents.all().delete()
    assert scores_of(d.code)["disclosure"] == 0


def test_feedback_answered_late_scores_one_unanswered_past_due_zero(world, land):
    late = dossier(world, received=at(2), due=at(9, 17), result=at(5))
    complaint(world, late, due=at(10, 17), closed=at(12))
    open_ = dossier(world, received=at(2), due=at(9, 17), result=at(5))
    complaint(world, open_, due=at(20, 17))
    complaint(world, open_, due=at(28, 17), closed=at(25))
    assert scores_of(late.code)["feedback"] == 1
    assert scores_of(open_.code)["feedback"] == 0


def test_not_offered_online_scores_zero_for_the_online_service(world, land):
    d = dossier(world, received=at(2), due=at(9, 17), result=at(5), procedure=world.birth)
    assert world.birth.online_level == "none"
    assert scores_of(d.code)["online"] == 0


def test_averages_per_agency_and_in_all(world, land):
    dossier(world, received=at(2), due=at(9, 17), result=at(5), channel="online")  # 2
    dossier(world, received=at(2), due=at(9, 17), result=at(12))  # 0
    dossier(world, received=at(2), due=at(9, 17), result=at(5), agency=world.other_department)
    result = quality.quality(Scope(CITY), NOVEMBER)
    assert result.city.dossiers == 3
    assert result.city.average("attitude") is None and result.city.average("step_time") is None
    department = next(r for r in result.agencies if r.key == world.department.code)
    assert (department.dossiers, department.average("total_time"), department.average("online")) == (2, 1.0, 1.5)
    assert department.maximum == 14  # seven indicators with a score
    assert department.total == pytest.approx(sum(a for a in department.averages if a is not None))
