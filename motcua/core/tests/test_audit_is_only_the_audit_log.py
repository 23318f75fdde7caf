"""The audit log says what happened; nothing reads it to decide what to do next.

Work queues, cursors, import ledgers and "already done" marks have their own tables (the outbox and
its cursors in core, `PortalImport` and `DeadlineFlag` in dossiers). Reading the audit log is left to
the log itself (verification, checkpoints), its command, and the slips' history of who did what.
A new reader must be added here with its reason, where a review sees it.
"""

import re
from pathlib import Path

import motcua

PACKAGE = Path(motcua.__file__).resolve().parent
ALLOWED = {
    "core/audit.py": "the log itself: appending, verifying, checkpoints, one object's history",
    "core/management/commands/audit.py": "`motcua audit verify | checkpoint`",
    "dossiers/slip_selectors.py": "the slips' history: who received, approved, refused a dossier, and when",
}
READS = re.compile(r"\bAuditEntry\s*\.\s*(objects|_default_manager|_base_manager)\b")


def audit_readers() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if {"tests", "migrations"} & set(relative.parts[:-1]):
            continue  # tests look at what was recorded; a migration may carry old records forward once
        if READS.search(path.read_text(encoding="utf-8")):
            found.add(relative.as_posix())
    return found


def test_only_the_allowed_modules_read_the_audit_log():
    assert audit_readers() - set(ALLOWED) == set()


def test_the_pattern_finds_a_reader():
    assert READS.search("entries = AuditEntry.objects.filter(action='dossier.sms_sent')")
    assert READS.search("AuditEntry._default_manager.all()")
    assert not READS.search("audit.record_event(user, 'dossier.forward', 'dossier', code)")
    assert "core/audit.py" in audit_readers()  # the scan does see the package's modules
