"""What each role sees once the inbox, the dossier page and the register read only the rows asked for.

The visible dossiers are a UNION of parts (own, branch, online not yet received, competent agency,
current step's agency, consulted agency) with the open states, a code or a period of reception
inside each part; these tests pin that the narrowing changes nothing of what is seen.
"""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.dossiers import policies, selectors, slip_selectors
from motcua.dossiers.models import OPEN_DOSSIER, OPEN_STATE_LIST, OPEN_STATES, Dossier
from motcua.dossiers.services import processing

from .conftest import act, submit

pytestmark = pytest.mark.django_db


def _consulted(client, world) -> tuple[str, int]:
    """A land dossier at the department's step with a question to the other department."""
    code = submit(client, world.reception).json()["code"]
    assert act(client, world.reception, code, "forward").status_code == 200
    assert act(client, world.officer, code, "take").status_code == 200
    body = act(client, world.officer, code, "consult", {"agency": "so-xd", "question": "Ý kiến quy hoạch?",
                                                       "hours": 16}).json()
    return code, body["consultations"][0]["id"]


def _inbox_codes(user) -> set[str]:
    return set(selectors.inbox(user).values_list("code", flat=True))


def test_the_consulted_agency_sees_an_open_dossier_before_and_after_answering(client, world):
    code, question = _consulted(client, world)
    assert code in _inbox_codes(world.other_officer)
    act(client, world.other_officer, code, "answer_consultation", {"consultation": question, "answer": "Phù hợp"})
    assert code in _inbox_codes(world.other_officer)  # answered, the dossier still open: still in the inbox
    assert selectors.get_dossier(world.other_officer, code).code == code
    assert code not in _inbox_codes(world.commune_officer)


def test_a_closed_dossier_leaves_every_inbox_but_stays_readable_by_who_could_see_it(client, world):
    code, _question = _consulted(client, world)
    act(client, world.reception, code, "withdraw", {"reason": "Công dân rút hồ sơ"})
    assert Dossier.objects.get(code=code).state == "withdrawn"
    dossier = Dossier.objects.get(code=code)
    for user in (world.reception, world.leader, world.officer, world.other_officer):
        assert code not in _inbox_codes(user)
        assert selectors.get_dossier(user, code).code == code
        assert policies.may_print(user, dossier)
    for user in (world.other_reception, world.commune_officer, world.citizen):
        assert not policies.may_print(user, dossier)
        with pytest.raises(NotFound):
            selectors.get_dossier(user, code)


def test_the_register_holds_the_period_and_only_what_the_user_may_see(client, world):
    code, _question = _consulted(client, world)
    received = Dossier.objects.get(code=code).received_at
    day = timezone.localdate(received)
    for user in (world.reception, world.leader, world.officer, world.other_officer, world.director):
        assert [d.code for d in slip_selectors.register_dossiers(user, day, day)] == [code]
    for user in (world.other_reception, world.commune_officer):
        assert list(slip_selectors.register_dossiers(user, day, day)) == []
    before = day - dt.timedelta(days=1)
    assert list(slip_selectors.register_dossiers(world.reception, before - dt.timedelta(days=6), before)) == []
    later = day + dt.timedelta(days=1)
    assert list(slip_selectors.register_dossiers(world.reception, later, later)) == []


def test_a_code_or_the_open_states_narrow_each_part_without_changing_what_is_seen(client, world):
    code = submit(client, world.reception).json()["code"]
    assert code in _inbox_codes(world.reception) and code in _inbox_codes(world.officer)  # competent agency
    assert code not in _inbox_codes(world.other_officer)
    act(client, world.reception, code, "forward")
    assert code in _inbox_codes(world.officer)
    processing.take(world.officer, code)
    assert selectors.visible_dossiers(world.officer, open_only=True, within=Q(code=code)).count() == 1
    assert selectors.visible_dossiers(world.officer, open_only=True, within=Q(code="nope")).count() == 0


def test_the_partial_indexes_cover_exactly_the_open_states():
    assert set(OPEN_STATE_LIST) == OPEN_STATES and OPEN_STATE_LIST == sorted(OPEN_STATE_LIST)
    partial = [index for index in Dossier._meta.indexes if index.condition is not None]
    assert {index.name for index in partial} == {"dossier_open_by_branch", "dossier_open_by_agency",
                                                 "dossier_open_by_step"}
    assert all(index.condition == OPEN_DOSSIER for index in partial)
