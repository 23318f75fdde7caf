"""Who may do what, walked as a table: every role × every action × every situation of the lifecycle.

For each cell the policy's answer (`can`, what pages and the API offer) must be the table's, and the
service must agree with it: an offered action goes through with valid input, any other is refused.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import RouteStep
from motcua.core import roles
from motcua.core.errors import DomainError
from motcua.dossiers import actions, policies, services
from motcua.dossiers.models import Consultation, Dossier, SupplementRequest
from motcua.dossiers.services import common

from .conftest import OTHER_ID, _user, pdf

pytestmark = pytest.mark.django_db

USERS = ("citizen", "reception", "other_reception", "officer", "other_officer", "agency_leader", "leader",
         "director", "admin")
AGENCY = {"officer", "agency_leader"}  # the competent agency's people (the land procedure's department)
EVERYONE_WHO_DELAYS = AGENCY | {"leader", "admin"}  # apologise
REASSIGNERS = {"leader", "director", "admin"}
DESK = {"reception", "admin"}
RESULT_HANDLERS = AGENCY | {"reception", "leader", "admin"}

# situation -> {action: who may do it}; an action not named is refused to everyone.
TABLE: dict[str, dict[str, set[str]]] = {
    "filed_online": {"receive": DESK, "refuse_intake": DESK, "withdraw": DESK | {"citizen"}},
    "at_the_desk": {"take": {"admin"}, "forward": DESK, "consult": DESK, "request_supplement": DESK,
                    "refuse": DESK, "withdraw": DESK | {"citizen"}, "apologise": EVERYONE_WHO_DELAYS,
                    "reassign": REASSIGNERS},
    "at_the_agency": {"take": AGENCY | {"admin"}, "forward": AGENCY | {"admin"}, "send_back": AGENCY | {"admin"},
                      "consult": AGENCY | {"admin"}, "request_supplement": AGENCY | {"admin"},
                      "refuse": AGENCY | {"admin"}, "withdraw": DESK | {"citizen"},
                      "apologise": EVERYONE_WHO_DELAYS, "reassign": REASSIGNERS},
    # The agency leader's signing step: the agency's officers may not sign for their leader.
    "at_the_agency_leader": {"take": {"agency_leader", "admin"}, "propose_approval": {"agency_leader", "admin"},
                             "send_back": {"agency_leader", "admin"}, "consult": {"agency_leader", "admin"},
                             "request_supplement": {"agency_leader", "admin"}, "refuse": {"agency_leader", "admin"},
                             "withdraw": DESK | {"citizen"}, "apologise": EVERYONE_WHO_DELAYS,
                             "reassign": REASSIGNERS},
    # The officer took the step, then asked another agency: the step is theirs, and that agency answers.
    "consultation_open": {"take": {"admin"}, "consult": {"officer", "admin"},
                          "answer_consultation": {"other_officer", "admin"},
                          "request_supplement": {"officer", "admin"}, "refuse": {"officer", "admin"},
                          "withdraw": DESK | {"citizen"}, "apologise": EVERYONE_WHO_DELAYS, "reassign": REASSIGNERS},
    # The center does not decide for the agency: at the approval step nobody refuses.
    "awaiting_approval": {"take": {"leader", "admin"}, "approve": {"leader", "admin"},
                          "send_back": {"leader", "admin"}, "withdraw": DESK | {"citizen"},
                          "apologise": EVERYONE_WHO_DELAYS,
                          # the result comes with the proposal, so that the head signs it before approval
                          "attach_result": RESULT_HANDLERS},
    "supplement_awaited": {"supply": DESK | {"citizen"}, "withdraw": DESK | {"citizen"}},
    "supplement_expired": {"supply": DESK | {"citizen"}, "stop": {"reception", "leader", "admin"},
                           "withdraw": DESK | {"citizen"}},
    "approved": {"attach_result": RESULT_HANDLERS, "apologise": EVERYONE_WHO_DELAYS},
    "result_attached": {"attach_result": RESULT_HANDLERS, "mark_ready": RESULT_HANDLERS,
                        "apologise": EVERYONE_WHO_DELAYS},
    "result_ready": {"return_result": DESK},
    "returned": {},
}


@pytest.fixture
def people(world):
    """The world's users, plus the department's leader, who signs at the agency leader's step."""
    groups = roles.sync_roles()
    leader_of_agency = _user("agency-leader", roles.AGENCY_LEADER, agency=world.department, groups=groups)
    # The land procedure: desk, department officer, department leader signs, branch leader approves.
    world.land.route.filter(position=3).update(position=4)
    RouteStep.objects.create(procedure=world.land, position=3, name="Lãnh đạo Sở ký", role="agency_leader",
                             scope="competent", hours=4)
    return {"citizen": world.citizen, "reception": world.reception, "other_reception": world.other_reception,
            "officer": world.officer, "other_officer": world.other_officer, "agency_leader": leader_of_agency,
            "leader": world.leader, "director": world.director, "admin": world.admin}


def _file(world, people) -> Dossier:
    """A dossier filed online at branch 1 by the citizen, then received at the desk."""
    sub = services.Submission(procedure=world.land.code, channel="online", branch="cn1", shown=[4],
                              applicant=services.ApplicantData(kind="person", id_number=OTHER_ID, name="Trần B"))
    return services.submit_dossier(people["citizen"], sub, {1: [pdf()], 2: [pdf()]})


def situation(name: str, world, people) -> Dossier:
    """Bring a fresh dossier to the named situation through the services."""
    u = people
    dossier = _file(world, people)
    code = dossier.code
    if name == "filed_online":
        return Dossier.objects.get(code=code)
    services.receive_online(u["reception"], code)
    if name == "supplement_awaited" or name == "supplement_expired":
        services.request_supplement(u["reception"], code, items=[{"name": "Hợp đồng", "reason": "Bản mờ"}])
        if name == "supplement_expired":
            long_ago = timezone.now() - dt.timedelta(days=40)
            Dossier.objects.filter(code=code).update(received_at=long_ago)
            SupplementRequest.objects.filter(dossier__code=code).update(requested_at=long_ago)
        return Dossier.objects.get(code=code)
    if name == "at_the_desk":
        return Dossier.objects.get(code=code)
    services.forward(u["reception"], code)
    if name == "consultation_open":
        services.take(u["officer"], code)
        services.consult(u["officer"], code, agency=world.other_department.code, question="Ý kiến?")
        return Dossier.objects.get(code=code)
    if name == "at_the_agency":
        return Dossier.objects.get(code=code)
    services.forward(u["officer"], code)
    if name == "at_the_agency_leader":
        return Dossier.objects.get(code=code)
    services.propose_approval(u["agency_leader"], code)
    if name == "awaiting_approval":
        return Dossier.objects.get(code=code)
    services.approve(u["leader"], code)
    if name == "approved":
        return Dossier.objects.get(code=code)
    services.attach_result(u["officer"], code, upload=pdf("ket-qua.pdf"))
    if name == "result_attached":
        return Dossier.objects.get(code=code)
    services.mark_ready(u["officer"], code)
    if name == "result_ready":
        return Dossier.objects.get(code=code)
    services.return_result(u["reception"], code, method="counter", received_by_name="Trần B")
    return Dossier.objects.get(code=code)


def valid_input(action: str, dossier: Dossier, world) -> actions.ActionInput:
    """Input each action accepts, so that only the policy can refuse it."""
    data = actions.ActionInput(version=dossier.version, reason="Theo yêu cầu", note="Đủ điều kiện")
    if action == "consult":
        data.agency, data.question, data.hours = world.other_department.code, "Xin ý kiến", Decimal(8)
    elif action == "reassign":
        data.agency = world.other_department.code
    elif action == "answer_consultation":
        asked = Consultation.objects.filter(dossier=dossier, answered_at__isnull=True).first()
        data.consultation, data.answer = (asked.pk if asked else 0), "Đồng ý"
    elif action == "request_supplement":
        data.items = [{"name": "Bản sao", "reason": "Thiếu"}]
    elif action == "supply":
        data.files = {2: [pdf("bo-sung.pdf")]}
    elif action == "attach_result":
        data.result = pdf("ket-qua.pdf")
    elif action == "return_result":
        data.method, data.received_by_name = "counter", "Trần B"
    elif action == "apologise":
        calendar = common.calendar_of(dossier)
        data.new_due_at = calendar.counting_start(calendar.add_working_days(dossier.due_at or timezone.now(), 2))
    return data


class _Rollback(Exception):
    pass


def _service_accepts(user, action: str, dossier: Dossier, world) -> DomainError | None:
    """Run the action through the registry in a transaction rolled back afterwards; its refusal, if any."""
    try:
        with transaction.atomic():
            actions.perform(user, dossier.code, action, valid_input(action, dossier, world))
            raise _Rollback
    except _Rollback:
        return None
    except DomainError as refusal:
        return refusal


@pytest.mark.parametrize("name", list(TABLE))
def test_every_role_and_action_in_each_situation(name, world, people):
    dossier = situation(name, world, people)
    expected = TABLE[name]
    for action in actions.REGISTRY:
        allowed = expected.get(action, set())
        for key in USERS:
            user = people[key]
            fresh = Dossier.objects.get(pk=dossier.pk)
            offered = policies.can(user, action, fresh)
            assert offered == (key in allowed), f"{name}: {key} {'may' if key in allowed else 'may not'} {action}"
            refusal = _service_accepts(user, action, fresh, world)
            assert (refusal is None) == offered, f"{name}: the service {'refused' if refusal else 'let'} " \
                                                 f"{key} {action} ({getattr(refusal, 'code', '')}) against the policy"


def test_the_page_offers_what_the_policy_allows(client, world, people):
    dossier = situation("at_the_agency_leader", world, people)
    client.force_login(people["officer"])
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "/actions/propose_approval/" not in page
    client.force_login(people["agency_leader"])
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "/actions/propose_approval/" in page


def test_an_agency_officer_cannot_sign_for_the_agency_leader(world, people):
    dossier = situation("at_the_agency_leader", world, people)
    with pytest.raises(DomainError) as refused:
        services.propose_approval(people["officer"], dossier.code)
    assert refused.value.code == "permission_denied"
    services.propose_approval(people["agency_leader"], dossier.code)
    assert Dossier.objects.get(pk=dossier.pk).state == "awaiting_approval"


def test_the_policy_refuses_with_the_reason_first_the_state_then_the_person(world, people):
    dossier = situation("result_ready", world, people)
    with pytest.raises(DomainError) as wrong_state:
        policies.check(people["officer"], "forward", dossier)
    assert wrong_state.value.code == "invalid_state"
    with pytest.raises(DomainError) as wrong_person:
        policies.check(people["officer"], "return_result", dossier)
    assert wrong_person.value.code == "permission_denied"
    with pytest.raises(DomainError) as unknown:
        policies.check(people["officer"], "delete", dossier)
    assert unknown.value.code == "unknown_action"
