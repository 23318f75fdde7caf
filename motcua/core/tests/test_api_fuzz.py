"""Every operation of /api/openapi.json, fuzzed: anonymous and with a token of each role.

Generated requests (valid and invalid by the schema) run in process against the WSGI application over
the demo data. No answer may be a server error, and every answer must match what the schema says of
that operation: its status codes, content type, headers and body.
"""

from functools import partial

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks
from werkzeug.test import Client

from motcua.core import events
from motcua.org.tests.support import rows_kept_for_module

APP = get_wsgi_application()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db

EXAMPLES = 12  # per operation and caller: bounded, so that the run stays a few minutes on both databases
ROLES = [None, "citizen", "reception", "agency", "leader", "director", "admin"]  # demo accounts; None: anonymous
CHECKS = [checks.not_a_server_error, openapi_checks.status_code_conformance, openapi_checks.content_type_conformance,
          openapi_checks.response_headers_conformance, openapi_checks.response_schema_conformance]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, plus what its operations act on: received dossiers, tickets waiting and called.

    The queue's clock stands on a Monday morning, when its counters have time left to serve."""
    from motcua.core import clock
    from motcua.queueing.tests.conftest import MONDAY_9AM, FakeClock

    fake = FakeClock(MONDAY_9AM)
    with rows_kept_for_module(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", fake.now)
        patch.setattr(clock, "today", fake.today)
        with django_db_blocker.unblock():
            call_command("demo", "--no-national", "--citizens", "20", "--history-days", "0", verbosity=0)
            yield known_values(dossiers=receive_dossiers(), tickets=issue_tickets())


def receive_dossiers(count: int = 3) -> list:
    from django.contrib.auth import get_user_model

    from motcua.catalog.models import Procedure
    from motcua.core.errors import DomainError
    from motcua.dossiers import services as dossiers
    from motcua.org.models import Person

    reception = get_user_model().objects.get(username="reception")
    person = Person.objects.order_by("national_id").first()
    received = []
    for procedure in Procedure.objects.filter(status="operational").prefetch_related("documents").order_by("code"):
        documents = list(procedure.documents.all())
        files = {d.position: [SimpleUploadedFile(f"{d.position}.pdf", PDF, "application/pdf")]
                 for d in documents if d.kind != "shown"}
        submission = dossiers.Submission(
            procedure=procedure.code, shown=[d.position for d in documents if d.kind == "shown"],
            applicant=dossiers.ApplicantData(kind="person", id_number=person.national_id, name=person.full_name,
                                             phone="0912345678"))
        try:
            received.append(dossiers.submit_dossier(reception, submission, files))
        except DomainError:
            continue  # not received at this branch (its competent agency, its place): the next one
        if len(received) == count:
            break
    assert received, "no demo procedure could be received"
    return received


def issue_tickets() -> list:
    from django.contrib.auth import get_user_model

    from motcua.org.models import Counter
    from motcua.queueing import selectors, services

    officer = get_user_model().objects.get(username="reception")
    point = officer.officer.branch.service_points.filter(is_active=True).order_by("pk").first()
    group = selectors.served_groups(point)[0]
    tickets = [services.issue_ticket(service_point=point, group=group, phone=f"09123456{n:02d}") for n in range(3)]
    counter = Counter.objects.filter(service_point=point, service_groups=group, is_active=True).order_by("pk").first()
    services.call_next(counter, user=officer)
    for ticket in tickets:
        ticket.refresh_from_db()
    return tickets


def known_values(*, dossiers: list, tickets: list) -> dict:
    """Path and query values that name real objects, by parameter (and path, where a name is shared)."""
    from motcua.catalog.models import Procedure
    from motcua.org.models import Branch, Counter, ServicePoint

    return {
        ("/api/procedures/", "code"): list(Procedure.objects.values_list("code", flat=True)[:5]),
        ("/api/branches/", "code"): list(Branch.objects.values_list("code", flat=True)[:3]),
        ("/api/dossiers/", "code"): [d.code for d in dossiers],
        ("/api/tracking/", "code"): [d.code for d in dossiers],
        ("", "key"): [d.tracking_key for d in dossiers],
        ("", "document_id"): [doc.pk for d in dossiers for doc in d.documents.all()][:5],
        ("", "point_id"): list(ServicePoint.objects.values_list("pk", flat=True)[:3]),
        ("", "counter_id"): [t.counter_id for t in tickets if t.counter_id] or
                            list(Counter.objects.values_list("pk", flat=True)[:3]),
        ("", "ticket_id"): [t.pk for t in tickets],
        ("", "token"): [t.token for t in tickets],
    }


def with_known_values(case, data, known: dict):
    """Half the cases name real objects, so that the operations run past their look-ups."""
    if not data.draw(st.booleans(), label="real objects"):
        return case
    for where in ("path_parameters", "query"):
        values = getattr(case, where) or {}
        for name in list(values):
            choices = next((v for (prefix, n), v in known.items()
                            if n == name and v and case.operation.path.startswith(prefix)), None)
            if choices:
                values[name] = data.draw(st.sampled_from(choices), label=name)
    return case


@pytest.fixture
def known(demo):
    return demo


@pytest.fixture
def schema(demo, monkeypatch, settings):
    # The fuzzed sign-in and the tokens below would pass the login limits (tested on their own).
    settings.MOTCUA_LOGIN_RATE = settings.MOTCUA_LOGIN_USERNAME_RATE = "1000/m"
    # The board's event stream would stay open for minutes: here it sends its opening frame and ends.
    monkeypatch.setattr(events, "stream", partial(events.stream, max_seconds=0))
    # As Django's test client does: the requests share the test's connection and its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", APP)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_for(username: str | None) -> dict:
    if username is None:
        return {}
    answer = Client(APP).post("/api/auth/token", json={"username": username, "password": "demo"})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json['token']}"}


def describe(group: BaseExceptionGroup) -> str:
    return "\n".join(f"{getattr(e, 'title', type(e).__name__)}: {str(e)[:600]}" for e in group.exceptions)


def fuzz(operation, headers_for, known: dict, failures: list) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), data=st.data())
    def run(case, data):
        case = with_known_values(case, data, known)
        headers = {**(case.headers or {}), **headers_for()}
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseExceptionGroup as exc:  # keep the first failure of each operation and go on
            if not failures or not failures[-1].startswith(operation.label):
                failures.append(f"{operation.label}: {describe(exc)}")
            raise

    try:
        run()
    except BaseExceptionGroup:
        pass


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_operation_answers_as_its_schema_says(schema, known, role):
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    headers = token_for(role)
    for operation in operations:
        # Signing out revokes the token it is given: that operation gets a fresh token for each example.
        fresh = operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token")
        fuzz(operation, (lambda: token_for(role)) if fresh else (lambda h=headers: h), known, failures)
    assert not failures, "\n\n".join(failures)


def test_the_schema_names_the_answers_every_operation_shares():
    from motcua.api import api

    paths = api.get_openapi_schema()["paths"]
    assert all(400 in op["responses"] for ops in paths.values() for op in ops.values())
    assert 404 in paths["/api/branches/{code}"]["get"]["responses"]
    assert 404 not in paths["/api/branches"]["get"]["responses"]
    assert {413, 422, 429} <= paths["/api/bookings"]["post"]["responses"].keys()  # a body; throttled
    assert 429 not in paths["/api/service-points/{point_id}/board"]["get"]["responses"]
