"""Two officers acting on one dossier at the same moment: one wins, the other gets Conflict (409).

Runs on SQLite (a file database: real locking) and on PostgreSQL (DATABASE_URL=postgres://…).
"""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from motcua.core import roles
from motcua.core.audit import verify_chain
from motcua.core.errors import Conflict
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep
from motcua.org.models import Officer

from .conftest import pdf

pytestmark = pytest.mark.django_db(transaction=True)


def received_dossier(world):
    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="B"))
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = "ok"
        except Conflict as exc:
            outcomes[index] = exc.status
        except Exception as exc:  # pragma: no cover - shown in the assertion
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def second_officer(world):
    user = User.objects.create_user("officer-b")
    user.groups.add(roles.sync_roles()[roles.AGENCY_OFFICER])
    Officer.objects.create(user=user, agency=world.department)
    return user


def test_two_officers_take_the_same_dossier(world):
    dossier = received_dossier(world)
    services.forward(world.reception, dossier.code)
    other = second_officer(world)
    version = Dossier.objects.get(pk=dossier.pk).version
    outcomes = race(lambda: services.take(world.officer, dossier.code, version=version),
                    lambda: services.take(other, dossier.code, version=version))
    assert sorted(map(str, outcomes)) == ["409", "ok"]
    step = DossierStep.objects.get(dossier=dossier, finished_at__isnull=True)
    assert step.assignee in (world.officer, other)
    assert Dossier.objects.get(pk=dossier.pk).version == version + 1
    assert verify_chain() is None


def test_forward_and_withdraw_race_leaves_one_consistent_outcome(world):
    dossier = received_dossier(world)
    version = dossier.version
    outcomes = race(lambda: services.forward(world.reception, dossier.code, version=version),
                    lambda: services.withdraw(world.reception, dossier.code,
                                              reason="Rút", version=version))
    assert sorted(map(str, outcomes)) == ["409", "ok"]
    final = Dossier.objects.get(pk=dossier.pk)
    assert final.state in ("processing", "withdrawn") and final.version == version + 1
    assert DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).count() == (
        1 if final.state == "processing" else 0)
    assert verify_chain() is None


def test_racing_without_a_version_still_lets_only_one_take(world):
    dossier = received_dossier(world)
    services.forward(world.reception, dossier.code)
    other = second_officer(world)
    outcomes = race(lambda: services.take(world.officer, dossier.code),
                    lambda: services.take(other, dossier.code))
    assert sorted(map(str, outcomes)) == ["409", "ok"]


# --- the jobs: a portal filing imported once, a deadline warning given once ---------------------------

def portal_filing(reference="G22-0100"):
    from django.utils import timezone

    from motcua.integrations.national_portal import PortalDocument, PortalDossier

    from .conftest import PDF

    return PortalDossier(reference=reference, procedure="1.004227", submitted_at=timezone.now(), branch="cn1",
                         applicant={"kind": "person", "id_number": "001190005678", "name": "B"},
                         documents=tuple(PortalDocument(p, f"{p}.pdf", PDF) for p in (1, 2)))


@pytest.mark.postgres
def test_two_runs_importing_the_same_filing_make_one_dossier(world):
    from motcua.core.models import OutboxMessage
    from motcua.dossiers.models import PortalImport
    from motcua.dossiers.services import national_portal

    filing = portal_filing()
    taken = []
    outcomes = race(*[lambda: taken.append(national_portal._take_in(world.admin, filing, None))] * 2)
    assert outcomes == ["ok", "ok"]
    [record] = PortalImport.objects.all()
    assert record.outcome == "imported" and record.dossier is not None
    assert sorted(new for _, new in taken) == [False, True]  # the second found the first one's record
    assert {found.pk for found, _ in taken} == {record.pk}
    assert Dossier.objects.count() == 1
    assert OutboxMessage.objects.filter(topic="dossier.submitted").count() == 1  # the loser's was rolled back
    assert verify_chain() is None


@pytest.mark.postgres
def test_two_runs_of_the_pull_job_acknowledge_one_dossier(world, settings):
    from motcua.dossiers.models import PortalImport
    from motcua.dossiers.services import national_portal
    from motcua.integrations.national_portal import set_portal
    from motcua.integrations.national_portal.fake import InMemoryNationalPortal

    settings.MOTCUA_NATIONAL_PORTAL_USER = world.admin.username
    InMemoryNationalPortal.clear()
    InMemoryNationalPortal.file(portal_filing("G22-0101"))
    set_portal(InMemoryNationalPortal())
    counts = []
    try:
        outcomes = race(*[lambda: counts.append(national_portal.pull_new_dossiers())] * 2)
        acknowledged = dict(InMemoryNationalPortal.acknowledged)
    finally:
        set_portal(None)
        InMemoryNationalPortal.clear()
    assert outcomes == ["ok", "ok"]
    assert sum(c["imported"] for c in counts) == 1 and Dossier.objects.count() == 1
    assert acknowledged == {"G22-0101": PortalImport.objects.get().dossier.code}


@pytest.mark.postgres
def test_two_runs_of_the_deadline_job_warn_once(world):
    import datetime as dt

    from motcua.core.models import LiveEvent
    from motcua.dossiers.models import DeadlineFlag
    from motcua.dossiers.services import deadlines

    dossier = received_dossier(world)
    moment = dossier.current_step.due_at - dt.timedelta(minutes=30)  # the reception step is near
    counts = []
    outcomes = race(*[lambda: counts.append(deadlines.flag_deadlines(moment))] * 2)
    assert outcomes == ["ok", "ok"]
    assert sum(c["near"] for c in counts) == 1
    assert DeadlineFlag.objects.filter(dossier=dossier, target="step", level="near").count() == 1
    channels = [e.channel for e in LiveEvent.objects.filter(name="deadline")]
    assert len(channels) == len(set(channels))  # each inbox told once
