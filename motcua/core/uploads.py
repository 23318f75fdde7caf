"""Uploaded files (dossiers' documents and results, complaints' attachments, ...): checked by their content,
stored under random names, served privately.

Checking: the type is read from the file's first bytes (the `filetype` package), never from its name,
and must be one of `MOTCUA_UPLOAD_ALLOWED_TYPES`; the size must not pass `MOTCUA_MAX_UPLOAD_BYTES`;
PDFs and images must be readable. A refusal is an `UploadRefused` naming the file and the reason.

Storing: a checked file gets a random name under its app's folder and a date (`dossiers/2026/12/<random>.pdf`) and is
first written under `_pending/` (`_pending/dossiers/2026/12/<random>.pdf`). It is moved to its final
place when the transaction commits (`transaction.on_commit`), so once the database row exists the file
is where the row says. Inside `atomic_with_files()` a rollback deletes the pending copies at once; a
crash leaves them in `_pending/`, where `remove_orphan_files` (a periodic job) finds them: moved into
place when a committed row names them, deleted after a day otherwise. Files in the final folders that
no row names are deleted after a day as well. Each app names its folders and the rows that name files
in them with `register_folder` (from its AppConfig.ready), so this module knows no app.

Holding: a checked file chosen on a form that was refused is kept under `_held/<random token>` until
the next attempt (`hold`, `held_content`, `release`; the session binding is in `held.py`). Held files
older than `HELD_AGE` are deleted by the same periodic job.

Serving: only through `document_response`, after the caller has checked who may see the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_TYPES = ("application/pdf", "image/jpeg", "image/png")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
PENDING = "_pending"
ORPHAN_AGE = dt.timedelta(days=1)
HELD = "_held"
HELD_AGE = dt.timedelta(hours=12)  # longer than any counter shift; the session usually ends sooner
_HELD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
# Shown in the browser; anything else allowed by the settings is sent as a download.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"})
TYPE_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
_SNIFF_BYTES = 8192


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> tuple[str, ...]:
    configured = getattr(settings, "MOTCUA_UPLOAD_ALLOWED_TYPES", None) or DEFAULT_ALLOWED_TYPES
    return tuple(str(t).strip().lower() for t in configured if str(t).strip())


def _type_labels() -> str:
    labels = [TYPE_LABELS.get(t, t) for t in allowed_types()]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(list)s hoặc %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


# --- checking ---------------------------------------------------------------------------------------


class UploadRefused(ValidationFailed):
    """One uploaded file refused: which file and why (type not allowed, too large, empty, unreadable)."""

    code = "file_refused"

    def __init__(self, code: str, filename: str, reason: Any):
        self.filename = filename
        self.reason = reason
        super().__init__(
            _("Tệp “%(name)s” không được nhận: %(reason)s") % {"name": filename, "reason": reason},
            code=code,
            details=[{"file": filename, "code": code}],
        )


@dataclass(frozen=True)
class CheckedFile:
    filename: str  # the sender's name, cleaned: for display and Content-Disposition only
    content: bytes
    content_type: str  # read from the content
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) read from the content's first bytes; None when not recognised."""
    kind = filetype.guess(content[:_SNIFF_BYTES])
    return (kind.mime, kind.extension) if kind is not None else None


def _readable(content: bytes, content_type: str) -> bool:
    if content_type == "application/pdf":
        return b"%%EOF" in content[-2048:]
    if not content_type.startswith("image/"):
        return True
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any decoding failure means unreadable
        return False


def clean_filename(raw: str) -> str:
    """The sender's file name without folders or control characters, NFC, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:200] or "tep"


def check_upload(uploaded) -> CheckedFile:
    """Read and check one uploaded file; raise UploadRefused naming the file and what is wrong."""
    name = clean_filename(getattr(uploaded, "name", ""))
    limit = max_upload_bytes()
    too_large = _("tệp lớn hơn dung lượng cho phép (%(limit)s).") % {"limit": filesizeformat(limit)}
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise UploadRefused("file_too_large", name, too_large)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused("file_too_large", name, too_large)
    if not content:
        raise UploadRefused("file_empty", name, _("tệp rỗng."))
    sniffed = sniff(content)
    if sniffed is None or sniffed[0] not in allowed_types():
        raise UploadRefused(
            "file_type",
            name,
            _("nội dung tệp không phải là %(types)s (định dạng được xét theo nội dung, không theo tên tệp).")
            % {"types": _type_labels()},
        )
    content_type, extension = sniffed
    if not _readable(content, content_type):
        raise UploadRefused("file_unreadable", name, _("tệp bị hỏng hoặc không đọc được."))
    return CheckedFile(filename=name, content=content, content_type=content_type, extension=extension)


# --- storing: pending until the transaction commits -------------------------------------------------


@dataclass
class _Staging:
    names: list[str]
    committed: bool = False


_active: ContextVar[tuple[_Staging, ...]] = ContextVar("motcua_staged_uploads", default=())


def pending_name(name: str) -> str:
    return f"{PENDING}/{name}"


def new_name(folder: str, extension: str, now: dt.datetime | None = None) -> str:
    """A random storage name under a date folder: nothing about the file or the person in it."""
    day = timezone.localtime(now or timezone.now())
    return f"{folder}/{day:%Y/%m}/{secrets.token_urlsafe(18)}.{extension}"


def stage(checked: CheckedFile, folder: str, now: dt.datetime | None = None) -> str:
    """Write the file under _pending/; it moves to the returned name when the transaction commits."""
    name = new_name(folder, checked.extension, now)
    saved = default_storage.save(pending_name(name), ContentFile(checked.content))
    if saved != pending_name(name):  # a random name already taken: never expected, never overwritten
        default_storage.delete(saved)
        raise RuntimeError("storage name collision")
    for staging in _active.get():
        staging.names.append(name)
    # robust: a failing move must not make the caller believe the committed intake failed;
    # the orphan job completes the move of any pending file a committed row names.
    transaction.on_commit(partial(promote, name), robust=True)
    return name


def promote(name: str) -> bool:
    """Move a pending file to its final place (again: a no-op); False when neither copy exists."""
    source, target = Path(default_storage.path(pending_name(name))), Path(default_storage.path(name))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except FileNotFoundError:
        return target.exists()
    return True


def discard(names: list[str]) -> None:
    """Delete the pending copies of files whose transaction did not commit."""
    for name in names:
        try:
            default_storage.delete(pending_name(name))
        except OSError:
            logger.warning("pending upload not deleted; the orphan job will retry")


def _mark_committed(staging: _Staging) -> None:
    staging.committed = True


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """`transaction.atomic()` that also deletes the files staged inside it when it rolls back.

    Nested blocks each clean up what was staged in them; an outer block rolled back after an inner
    one succeeded deletes the inner one's files too (their move was never going to run).
    """
    staging = _Staging(names=[])
    token = _active.set((*_active.get(), staging))
    try:
        with transaction.atomic():
            # First of this block's commit callbacks: a failure raised after the commit keeps the files.
            transaction.on_commit(partial(_mark_committed, staging), robust=True)
            yield
    except BaseException:
        if not staging.committed:
            discard(staging.names)
        raise
    finally:
        _active.reset(token)


def open_stored(name: str):
    """The stored file opened for reading; FileNotFoundError when it is not on disk."""
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        # Committed, but the process stopped before the move: the row is the proof, so finish it.
        if promote(name):
            return default_storage.open(name, "rb")
        raise


# --- holding: a file kept between two attempts at a form -------------------------------------------


def hold(checked: CheckedFile) -> str:
    """Keep a checked file under a new random token (32 characters); only the token finds it again."""
    token = secrets.token_urlsafe(24)
    name = f"{HELD}/{token}"
    saved = default_storage.save(name, ContentFile(checked.content))
    if saved != name:  # a random name already taken: never expected, never overwritten
        default_storage.delete(saved)
        raise RuntimeError("storage name collision")
    return token


def held_content(token: str) -> bytes | None:
    """The held file's bytes; None for a malformed token or a file already released or swept."""
    if not _HELD_TOKEN.match(token or ""):
        return None
    try:
        with default_storage.open(f"{HELD}/{token}", "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def release(token: str) -> None:
    """Delete a held file (used, removed by the officer, or pushed out of a full session)."""
    if _HELD_TOKEN.match(token or ""):
        try:
            default_storage.delete(f"{HELD}/{token}")
        except OSError:
            logger.warning("held upload not deleted; the orphan job will remove it")


# --- serving ----------------------------------------------------------------------------------------


def served_types() -> list[str]:
    """Every content type `document_response` may send (a type no longer allowed goes as octet-stream)."""
    return sorted({*allowed_types(), *INLINE_TYPES, "application/octet-stream"})


def document_response(handle, filename: str, content_type: str) -> FileResponse:
    """The file with a safe type: shown inline for PDF and images, else downloaded; never sniffed."""
    known = content_type if content_type in allowed_types() or content_type in INLINE_TYPES else ""
    inline = known in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=known or "application/octet-stream",
        as_attachment=not inline,
        filename=filename or "tep",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal documents
    return response


# --- the orphan sweep -------------------------------------------------------------------------------


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for directory, _dirs, files in os.walk(root):
            for file in files:
                yield Path(directory) / file


# The folders of stored uploads (the models' upload_to) and, for each, who says which names are in use.
Referenced = Callable[[list[str]], Iterable[str]]
_folders: dict[str, Referenced] = {}


def register_folder(folder: str, referenced: Referenced) -> None:
    """Declare a folder of stored uploads and the function giving which of some names a row still names."""
    _folders[folder] = referenced


def _referenced(names: list[str]) -> set[str]:
    found: set[str] = set()
    for referenced in dict.fromkeys(_folders.values()):
        found |= set(referenced(names))
    return found


def _in_batches(paths: Iterator[Path], media: Path, size: int = 500) -> Iterator[list[tuple[Path, str]]]:
    batch: list[tuple[Path, str]] = []
    for path in paths:
        batch.append((path, path.relative_to(media).as_posix()))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def remove_orphan_files(*, now: float | None = None, max_age: dt.timedelta = ORPHAN_AGE) -> dict[str, int]:
    """Finish interrupted moves; delete files no database row names once older than `max_age`, and held
    files older than `HELD_AGE`."""
    media = Path(settings.MEDIA_ROOT)
    cutoff = (now if now is not None else time.time()) - max_age.total_seconds()
    counts = {"moved": 0, "pending_removed": 0, "removed": 0, "held_removed": 0}
    pending_root = media / PENDING
    for batch in _in_batches(_files_under(pending_root), pending_root):
        named = _referenced([name for _path, name in batch])
        for path, name in batch:
            if name in named:
                counts["moved"] += promote(name)
            elif _older(path, cutoff):
                counts["pending_removed"] += _unlink(path)
    for folder in _folders:
        for batch in _in_batches(_files_under(media / folder), media):
            named = _referenced([name for _path, name in batch])
            for path, name in batch:
                if name not in named and _older(path, cutoff):
                    counts["removed"] += _unlink(path)
    held_cutoff = (now if now is not None else time.time()) - HELD_AGE.total_seconds()
    for path in _files_under(media / HELD):
        if _older(path, held_cutoff):
            counts["held_removed"] += _unlink(path)
    return counts


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _unlink(path: Path) -> int:
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    return 1
