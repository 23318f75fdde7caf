"""Carry forward what the jobs kept in the audit log until now, so an upgrade neither repeats nor loses work.

- Outbox cursors. The citizen-SMS job and the national-portal push kept their progress as marker
  entries (`source_seq`: the last dossier event dealt with). The dossier events after the older of the
  two cursors are copied into the outbox (same topic, time, states and facts), and each consumer's
  cursor is set after the copy of its last event: what was pending is still sent, once, in order; what
  was sent is not sent again. A consumer that had never run starts with the changes made after the
  migration (a first SMS run skipped old news anyway; an installation that never pushed to the portal
  does not push its whole history on upgrade).
- Imports from the national portal: one `PortalImport` per reference from the
  `dossier.national_portal_imported` / `_rejected` entries (a rejection wins, as it did).
- Near-due warnings already given (`dossier.deadline_flagged`) for dossiers still open, so they are
  not given again.

The audit entries themselves stay as they are: they still say what happened.
"""

import datetime as dt

from django.db import migrations

CONSUMERS = (
    ("citizen_sms", ("dossier.sms_sent", "dossier.sms_skipped")),
    ("national_portal_push", ("dossier.national_pushed", "dossier.national_push_skipped")),
)
# The dossier events written through dossiers.services.common.log (as of this migration).
EVENTS = ("dossier.submitted", "dossier.received", "dossier.refuse_intake", "dossier.take", "dossier.forward",
          "dossier.send_back", "dossier.consult", "dossier.answer_consultation", "dossier.request_supplement",
          "dossier.supply", "dossier.stop", "dossier.refuse", "dossier.propose_approval", "dossier.approve",
          "dossier.attach_result", "dossier.mark_ready", "dossier.return_result", "dossier.withdraw",
          "dossier.apologise", "dossier.reassign")
IMPORTED, REJECTED = "dossier.national_portal_imported", "dossier.national_portal_rejected"
FLAGGED = "dossier.deadline_flagged"
FINAL_STATES = ("not_received", "returned", "withdrawn", "stopped")
CHUNK = 1000


def _last_seq(entries, markers):
    last = (entries.filter(object_type="dossier", action__in=markers).order_by("-seq")
            .values_list("data", flat=True).first())
    if last is None:
        return None  # never ran
    return int(last.get("source_seq", 0)) if isinstance(last, dict) else 0


def _copy_events(entries, messages, after):
    """Copy the dossier events after `after` into the outbox; [(seq, message id)] in order."""
    copied = []
    chunk = []

    def flush():
        made = messages.bulk_create([message for _, message in chunk])
        for (seq, _), message in zip(chunk, made, strict=True):
            if message.pk is None:  # a backend that does not return ids: save one by one
                message.save()
            copied.append((seq, message.pk))
        chunk.clear()

    for entry in (entries.filter(object_type="dossier", action__in=EVENTS, seq__gt=after)
                  .order_by("seq").iterator(chunk_size=CHUNK)):
        data = entry.data if isinstance(entry.data, dict) else {}
        chunk.append((entry.seq, messages.model(
            topic=entry.action, object_type="dossier", object_id=entry.object_id, created_at=entry.occurred_at,
            payload={"from_state": entry.from_state, "to_state": entry.to_state, **data})))
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return copied


def carry_cursors(apps, db):
    entries = apps.get_model("core", "AuditEntry").objects.using(db)
    messages = apps.get_model("core", "OutboxMessage").objects.using(db)
    cursors = apps.get_model("core", "ConsumerCursor").objects.using(db)
    progress = {name: _last_seq(entries, markers) for name, markers in CONSUMERS}
    ran = [seq for seq in progress.values() if seq is not None]
    copied = _copy_events(entries, messages, min(ran)) if ran else []
    end = copied[-1][1] if copied else 0
    for name, seq in progress.items():
        if seq is None:
            last_id = end
        else:
            last_id = max((pk for source, pk in copied if source <= seq), default=0)
        cursors.update_or_create(name=name, defaults={"last_id": last_id})


def carry_imports(apps, db):
    entries = apps.get_model("core", "AuditEntry").objects.using(db)
    imports = apps.get_model("dossiers", "PortalImport").objects.using(db)
    dossiers = apps.get_model("dossiers", "Dossier").objects.using(db)
    records = {}
    for entry in entries.filter(action=REJECTED, object_type="dossier").order_by("seq").iterator(chunk_size=CHUNK):
        data = entry.data if isinstance(entry.data, dict) else {}
        records.setdefault(entry.object_id, imports.model(
            reference=entry.object_id, outcome="rejected", reason=entry.reason[:60],
            problems=data.get("problems", []), at=entry.occurred_at))
    for entry in entries.filter(action=IMPORTED, object_type="dossier").order_by("seq").iterator(chunk_size=CHUNK):
        reference = (entry.data or {}).get("reference") if isinstance(entry.data, dict) else None
        dossier = dossiers.filter(code=entry.object_id).first()
        if reference and dossier is not None and reference not in records:
            records[reference] = imports.model(reference=reference[:100], outcome="imported", dossier=dossier,
                                               at=entry.occurred_at)
    imports.bulk_create(records.values(), batch_size=CHUNK, ignore_conflicts=True)


def carry_flags(apps, db):
    entries = apps.get_model("core", "AuditEntry").objects.using(db)
    flags = apps.get_model("dossiers", "DeadlineFlag").objects.using(db)
    open_dossiers = dict(apps.get_model("dossiers", "Dossier").objects.using(db)
                         .exclude(state__in=FINAL_STATES).values_list("code", "pk"))
    batch = []
    for entry in entries.filter(action=FLAGGED, object_type="dossier").iterator(chunk_size=CHUNK):
        data = entry.data if isinstance(entry.data, dict) else {}
        pk = open_dossiers.get(entry.object_id)
        try:
            due_at = dt.datetime.fromisoformat(data["due_at"])
        except (KeyError, TypeError, ValueError):
            continue
        if pk is None or data.get("target") not in ("appointment", "step") or data.get("level") not in (
                "near", "overdue"):
            continue
        batch.append(flags.model(dossier_id=pk, target=data["target"], level=data["level"], due_at=due_at,
                                 flagged_at=entry.occurred_at))
        if len(batch) >= CHUNK:
            flags.bulk_create(batch, ignore_conflicts=True)
            batch = []
    flags.bulk_create(batch, ignore_conflicts=True)


def carry_forward(apps, schema_editor):
    db = schema_editor.connection.alias
    carry_cursors(apps, db)
    carry_imports(apps, db)
    carry_flags(apps, db)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_outbox_and_cursors"),
        ("dossiers", "0006_portal_imports_and_deadline_flags"),
    ]

    operations = [migrations.RunPython(carry_forward, migrations.RunPython.noop)]
