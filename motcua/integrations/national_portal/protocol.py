"""What the system exchanges with the national portal: status changes out, newly filed dossiers in."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


class PortalUnavailable(Exception):
    """The portal could not be reached or refused the request; callers retry later."""


@dataclass(frozen=True)
class PortalDocument:
    position: int  # the document's position in the procedure's checklist
    filename: str
    content: bytes

    def to_json(self) -> dict[str, Any]:
        return {"position": self.position, "filename": self.filename,
                "content_base64": base64.b64encode(self.content).decode()}


@dataclass(frozen=True)
class PortalDossier:
    """A dossier filed on the national portal, waiting to be received by the center."""

    reference: str  # the portal's own identifier of the filing
    procedure: str  # catalog code of the procedure
    applicant: dict[str, str]  # kind, id_number, name, phone, email, address, commune
    submitted_at: dt.datetime
    branch: str = ""  # branch code chosen by the citizen, if any
    documents: tuple[PortalDocument, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "procedure": self.procedure, "applicant": dict(self.applicant),
                "submitted_at": self.submitted_at.isoformat(), "branch": self.branch,
                "documents": [d.to_json() for d in self.documents]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PortalDossier:
        try:
            submitted = dt.datetime.fromisoformat(str(data["submitted_at"]))
            if submitted.tzinfo is None:
                raise ValueError("naive time")
            applicant = data["applicant"]
            if not isinstance(applicant, dict):
                raise TypeError("applicant")
            return cls(
                reference=str(data["reference"]), procedure=str(data["procedure"]),
                applicant={str(k): str(v) for k, v in applicant.items() if v is not None},
                submitted_at=submitted, branch=str(data.get("branch") or ""),
                documents=tuple(PortalDocument(int(d["position"]), str(d["filename"]),
                                               base64.b64decode(d["content_base64"], validate=True))
                                for d in data.get("documents") or []))
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise PortalUnavailable(f"malformed portal dossier: {type(exc).__name__}") from None


@runtime_checkable
class NationalPortal(Protocol):
    def push_status(self, dossier_code: str, national_status: int, at: dt.datetime, *,
                    appointment_at: dt.datetime | None = None) -> None:
        """Report the dossier's status (1-10) as of `at`; PortalUnavailable when not accepted."""
        ...

    def fetch_new_dossiers(self) -> list[PortalDossier]:
        """Dossiers filed on the portal and not yet acknowledged by the center."""
        ...

    def acknowledge(self, reference: str, dossier_code: str) -> None:
        """Tell the portal that the filing is now our dossier `dossier_code` (it stops offering it)."""
        ...
