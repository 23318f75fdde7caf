"""The audit log is a keyed hash chain with signed checkpoints outside the database.

Each kind of tampering open to someone who can write to the database but does not hold
MOTCUA_AUDIT_KEY is found, named, and makes `audit verify` exit non-zero. Tampering is done with raw
SQL, as such a person would; on PostgreSQL the append-only trigger is switched off for it first (what
the table's owner could do), so the same tests run on both databases.
"""

import hashlib
import hmac
import json
import threading
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from motcua.core import audit
from motcua.core.models import AuditEntry

from .support import audit_table_writable

pytestmark = pytest.mark.django_db


def make_chain(n=5, actor=None):
    return [
        audit.record_event(actor, "test.action", "thing", i, "a", "b", f"reason {i}", {"i": i, "x": [1, "ý"]})
        for i in range(1, n + 1)
    ]


def tamper(sql, params=()):
    """Run SQL on the audit table behind the application's back."""
    with audit_table_writable(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def unkeyed_hash(prev_hash, entry):
    """What someone without the key computes: the chain's formula with plain SHA-256."""
    return hashlib.sha256((prev_hash + audit.canonical_json(audit.entry_content(entry))).encode()).hexdigest()


def guessed_key_hash(prev_hash, entry):
    message = (prev_hash + audit.canonical_json(audit.entry_content(entry))).encode()
    return hmac.new(b"a guessed key", message, hashlib.sha256).hexdigest()


def rechain_from(seq, hasher=unkeyed_hash):
    """Recompute prev_hash and hash of every entry from `seq` on, as a forger without the key would."""
    previous = AuditEntry.objects.filter(seq__lt=seq).order_by("-seq").first()
    prev_hash = previous.hash if previous else audit.GENESIS_HASH
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev_hash
        entry.hash = hasher(prev_hash, entry)
        tamper(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [entry.prev_hash, entry.hash, entry.pk],
        )
        prev_hash = entry.hash


def verify_command(*args):
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_verify(*args):
    with pytest.raises(CommandError) as error:
        verify_command(*args)
    assert error.value.returncode == 1
    return str(error.value)


# --- the chain is keyed ------------------------------------------------------------------------------


def test_entries_are_chained_with_gapless_sequence():
    entries = make_chain(4)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == audit.GENESIS_HASH
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert audit.verify_chain() is None


def test_hash_is_an_hmac_with_the_configured_key(settings):
    entry = make_chain(1)[0]
    content = audit.canonical_json(audit.entry_content(entry))
    expected = hmac.new(
        settings.MOTCUA_AUDIT_KEY.encode(), (audit.GENESIS_HASH + content).encode(), hashlib.sha256
    ).hexdigest()
    assert entry.hash == expected
    assert entry.hash != unkeyed_hash(audit.GENESIS_HASH, entry)


def test_chain_made_with_another_key_does_not_verify():
    make_chain(3)
    with override_settings(MOTCUA_AUDIT_KEY="another deployment's key, 32 characters or more"):
        broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (1, audit.FORGED)


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


def test_deleting_a_user_leaves_their_entries_and_the_chain_intact():
    user = User.objects.create_user("former-officer")
    entry = audit.record_event(user, "dossier.received", "dossier", "X-2", "", "received")
    make_chain(2)
    user.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == entry.actor_id and stored.actor_label == "former-officer"
    assert audit.verify_chain() is None


# --- each kind of tampering ---------------------------------------------------------------------------


def test_edited_entry_is_found_as_altered():
    entries = make_chain(5)
    tamper("UPDATE core_auditentry SET reason = %s WHERE id = %s", ["rewritten", entries[2].pk])
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (3, entries[2].pk, audit.ALTERED)


def test_edited_last_entry_is_found_as_altered_once_checkpointed():
    entries = make_chain(3)
    audit.write_checkpoint()
    tamper("UPDATE core_auditentry SET action = %s WHERE id = %s", ["dossier.approve", entries[2].pk])
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (3, audit.ALTERED)


@pytest.mark.parametrize("hasher", [unkeyed_hash, guessed_key_hash], ids=["sha256", "guessed-key"])
def test_edit_and_recomputed_later_hashes_are_found(hasher):
    entries = make_chain(5)
    tamper("UPDATE core_auditentry SET reason = %s WHERE id = %s", ["rewritten", entries[2].pk])
    rechain_from(3, hasher)
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (3, entries[2].pk, audit.FORGED)
    message = failing_verify()
    assert f"#3 (id {entries[2].pk})" in message


def test_deleted_entry_is_found_as_a_gap():
    entries = make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (3, entries[2].pk, audit.GAP)
    assert "#3" in failing_verify()


def test_deleted_and_renumbered_entries_are_found():
    entries = make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    for entry in entries[2:]:
        tamper("UPDATE core_auditentry SET seq = %s WHERE id = %s", [entry.seq - 1, entry.pk])
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (2, entries[2].pk, audit.RELINKED)


def test_deleted_renumbered_and_rechained_entries_are_found():
    entries = make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    for entry in entries[2:]:
        tamper("UPDATE core_auditentry SET seq = %s WHERE id = %s", [entry.seq - 1, entry.pk])
    rechain_from(2)
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (2, entries[2].pk, audit.FORGED)
    assert f"#2 (id {entries[2].pk})" in failing_verify()


def test_reordered_entries_are_found():
    entries = make_chain(5)
    a, b = entries[1], entries[2]
    tamper("UPDATE core_auditentry SET seq = %s WHERE id = %s", [1000, a.pk])
    tamper("UPDATE core_auditentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
    tamper("UPDATE core_auditentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (2, b.pk, audit.RELINKED)


@pytest.mark.parametrize("hasher", [unkeyed_hash, guessed_key_hash], ids=["sha256", "guessed-key"])
def test_appended_forged_entry_is_found(hasher):
    entries = make_chain(3)
    forged = AuditEntry(
        seq=4,
        occurred_at=timezone.now(),
        actor_label="lan",
        action="dossier.approve",
        object_type="dossier",
        object_id="000.00.01.H26-261201-0001",
        from_state="processing",
        to_state="approved",
        data={},
        prev_hash=entries[-1].hash,
    )
    forged.hash = hasher(forged.prev_hash, forged)
    AuditEntry.objects.bulk_create([forged])  # an INSERT, which no trigger refuses
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (4, audit.FORGED)
    assert "#4" in failing_verify()


def test_truncated_tail_after_a_checkpoint_is_found():
    entries = make_chain(5)
    audit.write_checkpoint()
    tamper("DELETE FROM core_auditentry WHERE seq > %s", [3])
    assert audit.verify(checkpoints=None).count == 3
    broken = audit.verify_chain()
    assert (broken.seq, broken.entry_id, broken.problem) == (5, entries[4].pk, audit.TRUNCATED)
    assert f"#5 (id {entries[4].pk})" in failing_verify()


def test_emptied_table_after_a_checkpoint_is_found():
    make_chain(2)
    audit.write_checkpoint()
    tamper("TRUNCATE core_auditentry" if connection.vendor == "postgresql" else "DELETE FROM core_auditentry")
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (2, audit.TRUNCATED)


def test_truncated_and_regrown_chain_is_found():
    """Cut after a checkpoint, then new entries appended by the application itself: still found."""
    make_chain(4)
    audit.write_checkpoint()
    tamper("DELETE FROM core_auditentry WHERE seq > %s", [2])
    make_chain(2)  # seq 3 and 4 again, properly keyed
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (4, audit.CHECKPOINT_MISMATCH)


def test_tampered_checkpoint_file_is_found(settings, tmp_path):
    make_chain(5)
    audit.write_checkpoint()
    path = audit.checkpoint_path()
    line = json.loads(path.read_text())
    # Claim the chain was shorter then, so that removing its tail would go unnoticed.
    path.write_text(
        audit.canonical_json({**line, "seq": 2, "hash": AuditEntry.objects.get(seq=2).hash}) + "\n"
    )
    report = audit.verify()
    assert (report.broken.problem, report.broken.line, report.checkpoints) == (
        audit.CHECKPOINT_SIGNATURE,
        1,
        0,
    )
    message = failing_verify()
    assert str(path) in message


def test_unreadable_checkpoint_line_is_found():
    make_chain(1)
    audit.write_checkpoint()
    with audit.checkpoint_path().open("a") as stream:
        stream.write("{not json\n")
    broken = audit.verify_chain()
    assert (broken.problem, broken.line) == (audit.CHECKPOINT_SIGNATURE, 2)


def test_checkpoint_catches_a_rewrite_even_with_the_key():
    """Whoever holds the key could rewrite the database, but not the checkpoints already archived."""
    entries = make_chain(3)
    audit.write_checkpoint()
    tamper("UPDATE core_auditentry SET reason = %s WHERE id = %s", ["rewritten", entries[1].pk])
    rechain_from(2, audit.compute_hash)
    broken = audit.verify_chain()
    assert (broken.seq, broken.problem) == (3, audit.CHECKPOINT_MISMATCH)


# --- checkpoints and the command ---------------------------------------------------------------------


def test_checkpoint_records_the_signed_head():
    entries = make_chain(3)
    assert audit.write_checkpoint() == {"seq": 3}
    [line] = audit.checkpoint_path().read_text().splitlines()
    stored = json.loads(line)
    assert (stored["seq"], stored["count"], stored["entry_id"], stored["hash"]) == (
        3,
        3,
        entries[2].pk,
        entries[2].hash,
    )
    report = audit.verify()
    assert report.ok and report.checkpoints == 1 and report.latest_checkpoint.seq == 3


def test_checkpoint_of_an_empty_chain_verifies():
    audit.write_checkpoint()
    report = audit.verify()
    assert report.ok and report.count == 0 and report.checkpoints == 1


def test_command_reports_count_and_checkpoints_when_intact():
    make_chain(3)
    call_command("audit", "checkpoint", stdout=StringIO())
    make_chain(1)
    out, err = verify_command()
    assert "4" in out and "#3" in out and err == ""


def test_command_warns_when_there_is_no_checkpoint():
    make_chain(2)
    out, err = verify_command()
    assert "2" in out and str(audit.checkpoint_path()) in err


def test_command_verifies_against_a_copy_of_the_checkpoints(tmp_path):
    make_chain(3)
    copy = tmp_path / "archive" / "checkpoints.jsonl"
    audit.write_checkpoint(copy)
    tamper("DELETE FROM core_auditentry WHERE seq = %s", [3])
    verify_command()  # the configured file has no checkpoint: nothing to compare with
    assert "#3" in failing_verify("--checkpoints", str(copy))


def test_command_fails_cleanly_on_an_unreadable_checkpoint_file(tmp_path):
    make_chain(1)
    assert "checkpoints-dir" in failing_verify("--checkpoints", str(tmp_path / "checkpoints-dir"))
    (tmp_path / "checkpoints-dir").mkdir()
    assert "checkpoints-dir" in failing_verify("--checkpoints", str(tmp_path / "checkpoints-dir"))


@pytest.fixture
def checkpoint_server():
    """A checkpoint store over HTTP: POST appends one checkpoint, GET answers them one per line."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received, tokens = [], []

    class Store(BaseHTTPRequestHandler):
        def do_POST(self):
            tokens.append(self.headers.get("Authorization"))
            received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(201)
            self.end_headers()

        def do_GET(self):
            if not received:
                self.send_error(404)
                return
            body = "".join(line + "\n" for line in received).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/checkpoints"
    yield url, received, tokens
    server.shutdown()
    server.server_close()


def test_checkpoints_can_be_kept_at_a_url(checkpoint_server):
    url, received, tokens = checkpoint_server
    make_chain(3)
    with override_settings(MOTCUA_AUDIT_CHECKPOINT=url, MOTCUA_AUDIT_CHECKPOINT_TOKEN="t0ken"):
        assert audit.verify().checkpoint_file_found is False  # 404: nothing received yet
        call_command("audit", "checkpoint", stdout=StringIO())
        assert len(received) == 1 and tokens == ["Bearer t0ken"]
        assert audit.verify().checkpoints == 1
        tamper("DELETE FROM core_auditentry WHERE seq = %s", [3])
        assert audit.verify_chain().problem == audit.TRUNCATED
        assert "#3" in failing_verify()


def test_unreachable_checkpoint_url_fails_cleanly():
    make_chain(1)
    with override_settings(MOTCUA_AUDIT_CHECKPOINT="http://127.0.0.1:1/checkpoints"):
        with pytest.raises(CommandError) as error:
            call_command("audit", "checkpoint", stdout=StringIO())
        assert error.value.returncode == 1 and "unreachable" in str(error.value)
        assert "127.0.0.1:1" in failing_verify()


def test_command_fails_naming_first_broken_entry():
    entries = make_chain(4)
    tamper("UPDATE core_auditentry SET action = %s WHERE id = %s", ["other", entries[1].pk])
    tamper("UPDATE core_auditentry SET action = %s WHERE id = %s", ["other", entries[3].pk])
    assert "#2" in failing_verify()


def test_checkpoint_command_fails_cleanly_when_it_cannot_write(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with override_settings(MOTCUA_AUDIT_CHECKPOINT=str(blocker / "checkpoints.jsonl")):
        with pytest.raises(CommandError) as error:
            call_command("audit", "checkpoint", stdout=StringIO())
    assert error.value.returncode == 1


def test_checkpoint_is_a_scheduled_job_at_least_hourly(settings, tmp_path):
    from motcua.core import scheduler

    [job] = [job for job in scheduler.configured_jobs() if job.path == "motcua.core.audit.write_checkpoint"]
    assert job.interval <= 3600
    make_chain(2)
    [outcome] = scheduler.run_due([job])
    assert outcome.ok and outcome.result == "seq=2"
    assert audit.verify().latest_checkpoint.seq == 2


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


# --- the key in production ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "short", "DEVELOPMENT", "SECRET_KEY"])
def test_production_refuses_a_missing_public_or_reused_audit_key(settings, key):
    from motcua.core.checks import audit_key_in_production

    settings.PRODUCTION = True
    settings.MOTCUA_AUDIT_KEY = {
        "DEVELOPMENT": settings.DEVELOPMENT_AUDIT_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
    }.get(key, key)
    assert [error.id for error in audit_key_in_production(None)] == ["motcua.E002"]


def test_production_server_refuses_to_start_without_an_audit_key(settings):
    from motcua.core.checks import assert_production_safe

    settings.PRODUCTION = True
    settings.MOTCUA_AUDIT_KEY = ""
    with pytest.raises(RuntimeError, match="MOTCUA_AUDIT_KEY"):
        assert_production_safe()
    settings.MOTCUA_AUDIT_KEY = "k" * 40
    assert_production_safe()


def test_production_accepts_its_own_audit_key(settings):
    from motcua.core.checks import audit_key_in_production

    settings.PRODUCTION = True
    settings.MOTCUA_AUDIT_KEY = "k" * 40
    assert audit_key_in_production(None) == []
    settings.PRODUCTION, settings.MOTCUA_AUDIT_KEY = False, settings.DEVELOPMENT_AUDIT_KEY
    assert audit_key_in_production(None) == []


# --- PostgreSQL: the table refuses UPDATE and DELETE ---------------------------------------------------


@pytest.mark.postgres
def test_postgresql_trigger_refuses_update_and_delete():
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entries = make_chain(3)
    attempts = [
        lambda: AuditEntry.objects.filter(pk=entries[1].pk).update(reason="rewritten"),
        lambda: AuditEntry.objects.filter(pk=entries[2].pk).delete(),
        lambda: AuditEntry.objects.get(pk=entries[0].pk).save(),
    ]
    for sql, params in [
        ("UPDATE core_auditentry SET hash = %s WHERE id = %s", ["0" * 64, entries[0].pk]),
        ("DELETE FROM core_auditentry WHERE seq > %s", [1]),
    ]:
        attempts.append(lambda sql=sql, params=params: connection.cursor().execute(sql, params))
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert list(AuditEntry.objects.values_list("hash", flat=True)) == [e.hash for e in entries]
    # Appending still works, deleting a user who acted too (no row touched), and so does TRUNCATE.
    user = User.objects.create_user("former-officer")
    audit.record_event(user, "dossier.received", "dossier", "X-3")
    user.delete()
    assert audit.verify_chain() is None
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")
    assert not AuditEntry.objects.exists()


# --- migrating an existing, unkeyed chain --------------------------------------------------------------

BEFORE_KEY = [("core", "0005_rate_counters")]
LATEST = None  # every app's newest migration: going back to BEFORE_KEY also undoes what depends on core


def migrate(targets):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes() if targets is None else targets
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def unkeyed_chain(apps, n, break_at=None):
    model = apps.get_model("core", "AuditEntry")
    prev_hash = audit.GENESIS_HASH
    for seq in range(1, n + 1):
        entry = model(
            seq=seq,
            occurred_at=timezone.now(),
            actor_label="lan",
            action="test.action",
            object_type="thing",
            object_id=str(seq),
            data={"i": seq},
            prev_hash=prev_hash,
        )
        entry.hash = unkeyed_hash(prev_hash, entry)
        if seq == break_at:
            entry.reason = "changed after hashing"
        entry.save(force_insert=True)
        prev_hash = entry.hash


@pytest.mark.django_db(transaction=True)
def test_migration_rechains_an_intact_unkeyed_chain_with_the_key():
    try:
        unkeyed_chain(migrate(BEFORE_KEY), 4)
    finally:
        migrate(LATEST)
    assert audit.verify().count == 4 and audit.verify_chain() is None
    assert AuditEntry.objects.get(seq=1).hash != unkeyed_hash(
        audit.GENESIS_HASH, AuditEntry.objects.get(seq=1)
    )


@pytest.mark.django_db(transaction=True)
def test_migration_refuses_to_rechain_a_broken_unkeyed_chain():
    apps = migrate(BEFORE_KEY)
    try:
        unkeyed_chain(apps, 4, break_at=2)
        with pytest.raises(RuntimeError, match="#2"):
            migrate(LATEST)
    finally:
        apps.get_model("core", "AuditEntry").objects.all().delete()
        migrate(LATEST)
