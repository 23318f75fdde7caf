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
