"""No sequence of actions reaches an illegal state (hypothesis, stateful)."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from motcua.core.audit import verify_chain
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Consultation, Dossier, DossierStep, State
from motcua.dossiers.states import TRANSITIONS, national_status

from .conftest import pdf

pytestmark = pytest.mark.django_db

WITH_OPEN_STEP = {State.RECEIVED, State.PROCESSING, State.AWAITING_APPROVAL, State.SUPPLEMENT_REQUESTED}


def calls(world, code):
    admin = world.admin
    now = timezone.now()

    def apologise():
        due = Dossier.objects.get(code=code).due_at or now
        return services.apologise(admin, code, new_due_at=due + dt.timedelta(days=3), reason="r")

    def next_agency():  # back and forth between the two departments
        return "so-xd" if Dossier.objects.get(code=code).competent_agency.code == "so-nn" else "so-nn"

    def answer():
        open_one = Consultation.objects.filter(dossier__code=code, answered_at__isnull=True).first()
        return services.answer_consultation(admin, code, consultation=open_one.pk if open_one else 0, answer="a")

    return {
        "receive": lambda: services.receive_online(admin, code),
        "refuse_intake": lambda: services.refuse_intake(admin, code, reason="r"),
        "take": lambda: services.take(admin, code),
        "forward": lambda: services.forward(admin, code),
        "send_back": lambda: services.send_back(admin, code, reason="r"),
        "consult": lambda: services.consult(admin, code, agency="so-xd", question="q"),
        "answer_consultation": answer,
        "request_supplement": lambda: services.request_supplement(admin, code, items=[{"name": "a", "reason": "b"}]),
        "supply": lambda: services.supply(admin, code, files={1: [pdf()]}),
        "stop": lambda: services.stop(admin, code, now=now + dt.timedelta(days=60)),
        "refuse": lambda: services.refuse(admin, code, reason="r"),
        "propose_approval": lambda: services.propose_approval(admin, code),
        "approve": lambda: services.approve(admin, code),
        "attach_result": lambda: services.attach_result(admin, code, upload=pdf("kq.pdf")),
        "mark_ready": lambda: services.mark_ready(admin, code),
        "return_result": lambda: services.return_result(admin, code, method="counter", received_by_name="B"),
        "withdraw": lambda: services.withdraw(admin, code, reason="r"),
        "apologise": apologise,
        "reassign": lambda: services.reassign(admin, code, agency=next_agency(), reason="r"),
    }


def test_no_sequence_of_actions_reaches_an_illegal_state(world):
    reached = set()

    class Lifecycle(RuleBasedStateMachine):
        @initialize(online=st.booleans())
        def submit(self, online):
            sub = services.Submission(procedure="1.004227", shown=[4], branch="cn1",
                                      channel="online" if online else "counter",
                                      applicant=services.ApplicantData(kind="person", id_number="001190005678",
                                                                       name="B"))
            self.code = services.submit_dossier(world.admin, sub, {1: [pdf()], 2: [pdf()]}).code
            self.calls = calls(world, self.code)
            self.original_due = None

        @rule(action=st.sampled_from(sorted(TRANSITIONS)))
        def act(self, action):
            before = Dossier.objects.get(code=self.code)
            try:
                self.calls[action]()
            except DomainError:
                after = Dossier.objects.get(code=self.code)
                assert (after.state, after.version) == (before.state, before.version), action
                return
            after = Dossier.objects.get(code=self.code)
            sources, target = TRANSITIONS[action]
            assert before.state in sources, (action, before.state)
            if target is not None:
                assert after.state == target, (action, after.state)
            assert after.version == before.version + 1

        @invariant()
        def legal(self):
            dossier = Dossier.objects.select_related("current_step").get(code=self.code)
            assert dossier.state in State.values
            reached.add(dossier.state)
            assert 1 <= national_status(dossier.state) <= 10
            open_steps = list(DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True))
            assert len(open_steps) == (1 if dossier.state in WITH_OPEN_STEP else 0), dossier.state
            if open_steps:
                assert dossier.current_step_id == open_steps[0].pk
            else:
                assert dossier.current_step_id is None
            if dossier.state == State.AWAITING_APPROVAL:
                assert dossier.current_step.role == "branch_leader"
            if dossier.state == State.RESULT_READY:
                assert dossier.result_file
            if dossier.state == State.RETURNED:
                assert dossier.returned_at and dossier.returned_to and dossier.return_method
            if dossier.state == State.SUPPLEMENT_REQUESTED:
                assert dossier.supplement.supplied_at is None and dossier.due_at is None
            if dossier.state not in (State.NEW, State.NOT_RECEIVED):
                assert dossier.received_at is not None or dossier.state == State.WITHDRAWN
            if self.original_due is not None:
                assert dossier.original_due_at == self.original_due  # the apology happens once
            self.original_due = dossier.original_due_at

    # Derandomized: the same sequences on every run and both databases, so a failure reproduces.
    Lifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None,
                                           derandomize=True, database=None,
                                           suppress_health_check=list(HealthCheck))
    run_state_machine_as_test(Lifecycle, settings=Lifecycle.TestCase.settings)
    assert verify_chain() is None
    assert len(reached) >= 9, reached  # the (derandomized) search really walks the lifecycle

