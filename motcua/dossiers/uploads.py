"""Checking uploaded files: type by magic bytes (PDF, JPEG, PNG), size, and that they can be read."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class UploadProblem(Exception):
    def __init__(self, code: str, message):
        self.code = code
        self.message = message
        super().__init__(code)


def sniff(content: bytes) -> str | None:
    for magic, content_type in _MAGIC:
        if content.startswith(magic):
            return content_type
    return None


def _readable(content: bytes, content_type: str) -> bool:
    if content_type == "application/pdf":
        return b"%%EOF" in content[-2048:]
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any decoding failure means unreadable
        return False


def check_upload(uploaded) -> CheckedFile:
    """Read and check one uploaded file; raise UploadProblem naming what is wrong."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_upload_bytes():
        raise UploadProblem("file_too_large", _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).")
                            % {"mb": max_upload_bytes() // (1024 * 1024)})
    content = uploaded.read(max_upload_bytes() + 1)
    if len(content) > max_upload_bytes():
        raise UploadProblem("file_too_large", _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).")
                            % {"mb": max_upload_bytes() // (1024 * 1024)})
    if not content:
        raise UploadProblem("file_empty", _("Tệp rỗng."))
    content_type = sniff(content)
    if content_type is None:
        raise UploadProblem("file_type", _("Chỉ nhận tệp PDF, JPEG hoặc PNG."))
    if not _readable(content, content_type):
        raise UploadProblem("file_unreadable", _("Tệp bị hỏng hoặc không đọc được."))
    name = (getattr(uploaded, "name", "") or "tep").rsplit("/", 1)[-1][:200]
    return CheckedFile(filename=name, content=content, content_type=content_type)
