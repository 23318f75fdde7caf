"""The national portal jobs: every status change pushed once and in order, filings taken in once."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.core.models import AuditEntry
from motcua.dossiers import services, tasks
from motcua.dossiers.models import Channel, Dossier, PortalImport, State
from motcua.dossiers.services import national_portal
from motcua.integrations.national_portal import PortalDocument, PortalDossier, set_portal
from motcua.integrations.national_portal.fake import InMemoryNationalPortal

from .conftest import PDF, pdf

NOW = timezone.make_aware(dt.datetime(2025, 3, 3, 9, 0))


@pytest.fixture
def portal(settings):
    settings.MOTCUA_NATIONAL_PORTAL_USER = "admin"
    InMemoryNationalPortal.clear()
    set_portal(InMemoryNationalPortal())
    yield InMemoryNationalPortal
    set_portal(None)
    InMemoryNationalPortal.clear()


def filed(reference="G22-0001", procedure="1.004227", documents=(1, 2)):
    return PortalDossier(reference=reference, procedure=procedure, submitted_at=NOW, branch="cn1",
                         applicant={"kind": "person", "id_number": "001190005678", "name": "Trần Thị Bình",
                                    "phone": "0987654321"},
                         documents=tuple(PortalDocument(p, f"{p}.pdf", PDF) for p in documents))


def counter_dossier(world) -> Dossier:
    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="B"))
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=NOW)


def test_each_change_of_national_status_is_pushed_once_in_order(world, portal):
    dossier = counter_dossier(world)
    services.forward(world.reception, dossier.code, now=NOW + dt.timedelta(hours=1))  # received → processing
    services.take(world.officer, dossier.code)  # same status: nothing to push
    services.request_supplement(world.officer, dossier.code, items=[{"name": "a", "reason": "b"}],
                                now=NOW + dt.timedelta(hours=2))
    assert tasks.push_national_statuses() == {"done": 3, "skipped": 1, "failed": 0}
    assert [(s.dossier_code, s.status) for s in portal.statuses] == [
        (dossier.code, 2), (dossier.code, 4), (dossier.code, 5)]
    # Each status goes with the appointment of its time: received and processing had one; the
    # supplement request stopped the clock.
    assert dossier.due_at is not None
    assert [s.appointment_at for s in portal.statuses] == [dossier.due_at, dossier.due_at, None]
    assert national_portal.push_status_changes() == {"done": 0, "skipped": 0, "failed": 0}


def test_a_push_that_fails_is_retried_from_the_same_change(world, portal):
    dossier = counter_dossier(world)
    set_portal(InMemoryNationalPortal(failing=True))
    assert national_portal.push_status_changes() == {"done": 0, "skipped": 0, "failed": 1}
    services.forward(world.reception, dossier.code, now=NOW + dt.timedelta(hours=1))
    set_portal(InMemoryNationalPortal())
    assert national_portal.push_status_changes()["done"] == 2
    assert [s.status for s in portal.statuses] == [2, 4]
    assert portal.statuses[1].appointment_at == Dossier.objects.get(code=dossier.code).due_at


def test_filings_are_taken_in_as_new_dossiers_of_the_national_portal_channel(world, portal):
    portal.file(filed())
    assert tasks.pull_national_dossiers() == {"imported": 1, "acknowledged": 1, "rejected": 0}
    dossier = Dossier.objects.get(channel=Channel.NATIONAL_PORTAL)
    assert dossier.state == State.NEW and dossier.branch == world.branch
    assert dossier.documents.filter(source="upload").count() == 2
    assert portal.acknowledged == {"G22-0001": dossier.code}
    assert national_portal.pull_new_dossiers() == {"imported": 0, "acknowledged": 0, "rejected": 0}
    services.receive_online(world.reception, dossier.code)
    assert Dossier.objects.get(pk=dossier.pk).state == State.RECEIVED
    assert [s.status for s in portal.statuses] == []  # pushed by the other job
    national_portal.push_status_changes()
    assert [s.status for s in portal.statuses] == [1, 2]


def test_a_filing_offered_again_is_not_imported_twice(world, portal):
    portal.file(filed())
    national_portal.pull_new_dossiers()
    portal.file(filed())  # the portal did not register the acknowledgement
    assert national_portal.pull_new_dossiers() == {"imported": 0, "acknowledged": 1, "rejected": 0}
    assert Dossier.objects.filter(channel=Channel.NATIONAL_PORTAL).count() == 1
    [record] = PortalImport.objects.all()
    assert (record.reference, record.outcome, record.dossier.channel) == ("G22-0001", "imported", "national_portal")
    assert portal.acknowledged == {"G22-0001": record.dossier.code}


def test_a_filing_that_does_not_qualify_is_recorded_once_without_personal_data(world, portal):
    portal.file(filed(reference="G22-0002", documents=(1,)))
    assert national_portal.pull_new_dossiers() == {"imported": 0, "acknowledged": 0, "rejected": 1}
    assert national_portal.pull_new_dossiers()["rejected"] == 0
    record = PortalImport.objects.get(reference="G22-0002")
    assert (record.outcome, record.reason, record.problems, record.dossier) == (
        "rejected", "dossier_invalid", ["document_missing"], None)
    entry = AuditEntry.objects.get(action=national_portal.REJECTED)  # what happened, for the auditors
    assert entry.object_id == "G22-0002" and entry.reason == "dossier_invalid"
    assert entry.data == {"problems": ["document_missing"]}
    assert not Dossier.objects.exists()
    portal.file(filed(reference="G22-0002", documents=(1,)))  # offered again: not tried again
    assert national_portal.pull_new_dossiers() == {"imported": 0, "acknowledged": 0, "rejected": 0}


def test_without_the_integration_account_nothing_is_pulled(world, portal, settings):
    settings.MOTCUA_NATIONAL_PORTAL_USER = ""
    portal.file(filed())
    assert national_portal.pull_new_dossiers()["imported"] == 0
    assert portal.waiting
