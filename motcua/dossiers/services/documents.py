"""Opening an uploaded document of a dossier: only for who may see the dossier, and always audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from motcua.core import audit, uploads
from motcua.core.errors import NotFound

from .. import selectors

OPENED = "dossier.document_opened"


@dataclass
class OpenedDocument:
    handle: IO[bytes]
    filename: str
    content_type: str


def open_document(user, code: str, document_id: int, *, via: str = "page") -> OpenedDocument:
    """The document's file, opened; NotFound when the dossier is not visible to the user or has no such file.

    Visibility is the dossier's own rule (`selectors.get_dossier`: its applicant, its branch's reception
    and leaders, its agencies' officers, the director and administrators). Each opening is an audit
    entry naming the document, never the file's name or content.
    """
    dossier = selectors.get_dossier(user, code)
    document = dossier.documents.filter(pk=document_id).exclude(file="").first()
    if document is None or not document.file.name:
        raise NotFound()
    try:
        handle: Any = uploads.open_stored(document.file.name)
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(code="document_file_missing") from exc
    try:
        audit.record_event(
            user,
            OPENED,
            "dossier",
            dossier.code,
            data={"document": document.pk, "position": document.position, "via": via},
        )
    except BaseException:
        handle.close()
        raise
    return OpenedDocument(handle=handle, filename=document.filename, content_type=document.content_type)
