"""The audit log is a hash chain: any change, removal or reordering is found and named."""

import threading

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.core import audit
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def make_chain(n=5, actor=None):
    return [audit.record_event(actor, "test.action", "thing", i, "a", "b", f"reason {i}", {"i": i, "x": [1, "ý"]})
            for i in range(1, n + 1)]


def test_entries_are_chained_with_gapless_sequence():
    entries = make_chain(4)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == audit.GENESIS_HASH
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert audit.verify_chain() is None


def test_actor_is_recorded_by_user_and_label():
    user = User.objects.create_user("lan")
    entry = audit.record_event(user, "dossier.received", "dossier", "X-1", "", "received", "", {})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == user and stored.actor_label == "lan"
    assert audit.verify_chain() is None


def test_stored_entries_hash_the_same_after_reload():
    make_chain(3)
    for entry in AuditEntry.objects.all():
        previous = audit.GENESIS_HASH if entry.seq == 1 else AuditEntry.objects.get(seq=entry.seq - 1).hash
        assert audit.compute_hash(previous, entry) == entry.hash


def test_changed_entry_is_found():
    entries = make_chain(5)
    AuditEntry.objects.filter(pk=entries[2].pk).update(reason="rewritten")
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (3, "changed")


def test_changed_data_is_found():
    entries = make_chain(5)
    AuditEntry.objects.filter(pk=entries[1].pk).update(data={"i": 99})
    assert audit.verify_chain().seq == 2


def test_removed_entry_is_found():
    entries = make_chain(5)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (3, "removed_before")


def test_removed_and_renumbered_entries_are_found():
    entries = make_chain(5)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    for entry in entries[2:]:
        AuditEntry.objects.filter(pk=entry.pk).update(seq=entry.seq - 1)
    broken = audit.verify_chain()
    assert broken.seq == 2 and broken.problem in {"reordered", "changed"}


def test_reordered_entries_are_found():
    entries = make_chain(5)
    a, b = entries[1], entries[2]
    AuditEntry.objects.filter(pk=a.pk).update(seq=1000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=a.seq)
    AuditEntry.objects.filter(pk=a.pk).update(seq=b.seq)
    broken = audit.verify_chain()
    assert broken.seq == 2 and broken.entry_id == b.pk


def test_command_reports_count_when_intact():
    make_chain(3)
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "3" in out.getvalue()


def test_command_fails_naming_first_broken_entry():
    entries = make_chain(4)
    AuditEntry.objects.filter(pk=entries[3].pk).update(action="other")
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1
    assert "#4" in str(error.value)


def test_empty_chain_is_intact():
    report = audit.verify()
    assert report.ok and report.count == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_gapless():
    errors = []

    def append(worker):
        try:
            for i in range(5):
                audit.record_event(None, "concurrent", "thing", f"{worker}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert audit.verify_chain() is None
