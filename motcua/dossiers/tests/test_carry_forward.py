"""Migration dossiers 0007: what the jobs kept in the audit log before is carried into their own tables,
so an upgrade neither repeats work already done nor drops work still pending."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from motcua.core import audit
from motcua.core.models import AuditEntry, ConsumerCursor, OutboxMessage
from motcua.dossiers import services
from motcua.dossiers.models import DeadlineFlag, Dossier, PortalImport
from motcua.dossiers.services import deadlines, national_portal
from motcua.integrations.national_portal import set_portal
from motcua.integrations.national_portal.fake import InMemoryNationalPortal
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.notify.services import plan_from_outbox

from .conftest import pdf
from .test_national_portal import filed

carry = importlib.import_module("motcua.dossiers.migrations.0007_carry_forward_from_audit")
notify_carry = importlib.import_module("motcua.notify.migrations.0002_carry_sms_cursors")


def citizen_messages_after_the_upgrades() -> dict[str, int]:
    """The citizen's messages once notify has taken over the `citizen_sms` cursor (notify 0002)."""

    class Editor:
        class connection:  # noqa: N801 - the schema editor's shape
            alias = "default"

    notify_carry.carry_sms_cursors(apps, Editor)
    return plan_from_outbox()
PHONE = "0987654321"


@pytest.fixture
def fakes(settings):
    settings.MOTCUA_NATIONAL_PORTAL_USER = "admin"
    OutboxSms.clear()
    InMemoryNationalPortal.clear()
    set_sms(OutboxSms())
    set_portal(InMemoryNationalPortal())
    yield
    set_sms(None)
    set_portal(None)
    OutboxSms.clear()
    InMemoryNationalPortal.clear()


def counter_dossier(world) -> Dossier:
    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="B", phone=PHONE))
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})


def last_seq(action):
    return AuditEntry.objects.filter(action=action).order_by("-seq").first().seq


def before_the_upgrade():
    """Forget the outbox and cursors: the state the old jobs left (their marks in the audit log only)."""
    OutboxMessage.objects.all().delete()
    ConsumerCursor.objects.all().delete()


def marker(action, seq):
    audit.record_event("scheduler", action, "dossier", "x", data={"source_seq": seq})


def test_pending_events_are_still_sent_and_sent_ones_are_not_sent_again(world, fakes):
    dossier = counter_dossier(world)  # received at the counter: both jobs dealt with it
    received = last_seq("dossier.submitted")
    marker("dossier.sms_sent", received)
    marker("dossier.national_pushed", received)
    services.request_supplement(world.reception, dossier.code, items=[{"name": "a", "reason": "b"}])
    supplement = last_seq("dossier.request_supplement")
    marker("dossier.sms_sent", supplement)  # the SMS job got further than the portal push
    before_the_upgrade()
    carry.carry_cursors(apps, "default")
    assert list(OutboxMessage.objects.values_list("topic", "payload__to_state")) == [
        ("dossier.request_supplement", "supplement_requested")]
    assert citizen_messages_after_the_upgrades() == {"done": 0, "skipped": 0, "failed": 0}
    assert national_portal.push_status_changes() == {"done": 1, "skipped": 0, "failed": 0}
    assert [s.status for s in InMemoryNationalPortal.statuses] == [5]  # the supplement; not "received" again
    services.supply(world.reception, dossier.code, files={2: [pdf()]})
    assert national_portal.push_status_changes()["done"] == 1  # and on from there, from the new outbox


def test_a_consumer_that_never_ran_starts_after_the_upgrade(world, fakes):
    counter_dossier(world)
    before_the_upgrade()
    carry.carry_cursors(apps, "default")
    assert not OutboxMessage.objects.exists()
    assert set(ConsumerCursor.objects.values_list("name", "last_id")) == {
        ("citizen_sms", 0), ("national_portal_push", 0)}
    assert citizen_messages_after_the_upgrades()["done"] == 0 and national_portal.push_status_changes()["done"] == 0


def test_imports_and_rejections_are_remembered(world, fakes):
    InMemoryNationalPortal.file(filed(reference="G22-0001"))
    InMemoryNationalPortal.file(filed(reference="G22-0002", documents=(1,)))
    national_portal.pull_new_dossiers()
    dossier = PortalImport.objects.get(reference="G22-0001").dossier
    PortalImport.objects.all().delete()  # before the upgrade: only the audit entries knew
    carry.carry_imports(apps, "default")
    assert set(PortalImport.objects.values_list("reference", "outcome", "dossier")) == {
        ("G22-0001", "imported", dossier.pk), ("G22-0002", "rejected", None)}
    InMemoryNationalPortal.file(filed(reference="G22-0001"))  # offered again
    InMemoryNationalPortal.file(filed(reference="G22-0002", documents=(1,)))
    assert national_portal.pull_new_dossiers() == {"imported": 0, "acknowledged": 1, "rejected": 0}
    assert Dossier.objects.count() == 1


def test_warnings_already_given_are_not_given_again(world):
    dossier = counter_dossier(world)
    due = dossier.current_step.due_at
    audit.record_event("scheduler", "dossier.deadline_flagged", "dossier", dossier.code, data={
        "target": "step", "level": "near", "due_at": due.isoformat()})
    audit.record_event("scheduler", "dossier.deadline_flagged", "dossier", dossier.code, data={
        "target": "bogus", "level": "near", "due_at": due.isoformat()})
    carry.carry_flags(apps, "default")
    assert list(DeadlineFlag.objects.values_list("target", "level", "due_at")) == [("step", "near", due)]
    assert deadlines.flag_deadlines(due - dt.timedelta(minutes=30))["near"] == 0
    assert deadlines.flag_deadlines(due + dt.timedelta(minutes=1))["overdue"] == 1
    assert timezone.is_aware(DeadlineFlag.objects.first().due_at)
