"""The document wallet (ví giấy tờ): a citizen's papers and results, opened, removed and shared.

Every function takes the acting user and checks `portal.policies` first: nobody but the citizen the
account is linked to reaches a wallet. Opening a file, adding, removing and sharing a paper are audit
entries naming the paper's id and kind, never its number or its file's name.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, uploads
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierDocument, State
from motcua.dossiers.services.intake import Submission
from motcua.integrations.population_registry import PersonRecord, RegistryUnavailable, get_registry

from .. import policies
from ..models import WALLET_FOLDER, PaperKind, WalletDocument, WalletShare

logger = logging.getLogger(__name__)

ADDED, REMOVED, OPENED, SHARED = (
    "portal.wallet_added",
    "portal.wallet_removed",
    "portal.wallet_opened",
    "portal.wallet_shared",
)
# Results enter the wallet once the dossier has one to give.
RESULT_STATES = (State.RESULT_READY, State.RETURNED)
RESULT_FORM = "result"  # the signing app's form name of a dossier's signed result
MAX_NUMBER = 40


@dataclass
class PaperData:
    kind: str
    title: str = ""
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass
class OpenedPaper:
    handle: IO[bytes]
    filename: str
    content_type: str


def _person(user):
    person = policies.person_of(user)
    policies.check(user, policies.USE_WALLET, person=person)
    return person


def _problems(data: PaperData) -> list[dict[str, str]]:
    problems = []
    if data.kind not in PaperKind.values or data.kind == PaperKind.RESULT:
        problems.append({"field": "kind", "code": "kind_unknown", "message": str(_("Chọn loại giấy tờ."))})
    if not data.title.strip():
        problems.append({"field": "title", "code": "title_required", "message": str(_("Cần tên giấy tờ."))})
    if len(data.number.strip()) > MAX_NUMBER:
        problems.append(
            {
                "field": "number",
                "code": "number_too_long",
                "message": str(_("Số giấy tờ dài quá %(n)d ký tự.") % {"n": MAX_NUMBER}),
            }
        )
    today = timezone.localdate()
    if data.issued_on and data.issued_on > today:
        problems.append(
            {
                "field": "issued_on",
                "code": "issued_in_future",
                "message": str(_("Ngày cấp không thể sau ngày hôm nay.")),
            }
        )
    if data.issued_on and data.expires_on and data.expires_on < data.issued_on:
        problems.append(
            {
                "field": "expires_on",
                "code": "expires_before_issue",
                "message": str(_("Ngày hết hạn phải sau ngày cấp.")),
            }
        )
    return problems


def add_paper(user, data: PaperData, upload) -> WalletDocument:
    """Keep one paper of the citizen (a PDF or image, checked by its content) with its metadata."""
    person = _person(user)
    problems = _problems(data)
    checked = None
    if upload is None:
        problems.append({"field": "file", "code": "file_required", "message": str(_("Cần tệp của giấy tờ."))})
    else:
        try:
            checked = uploads.check_upload(upload)
        except uploads.UploadRefused as exc:
            problems.append({"field": "file", "code": exc.code, "message": str(exc.message)})
    if problems or checked is None:
        raise ValidationFailed(problems[0]["message"], code=problems[0]["code"], details=problems)
    now = timezone.now()
    with uploads.atomic_with_files():
        paper = WalletDocument.objects.create(
            person=person,
            kind=data.kind,
            title=data.title.strip()[:300],
            number=data.number.strip(),
            issuer=data.issuer.strip()[:200],
            issued_on=data.issued_on,
            expires_on=data.expires_on,
            source=WalletDocument.Source.UPLOAD,
            file=uploads.stage(checked, WALLET_FOLDER, now),
            filename=checked.filename,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            added_at=now,
        )
        audit.record_event(user, ADDED, "wallet_document", paper.pk, data={"kind": paper.kind})
    return paper


def _paper(user, document_id: int, action: str) -> WalletDocument:
    person = policies.person_of(user)
    paper = (
        WalletDocument.objects.select_related("dossier__procedure", "signed_document")
        .filter(pk=document_id)
        .first()
    )
    if paper is None:
        policies.check(user, policies.USE_WALLET, person=person)
        raise NotFound()
    policies.check(user, action, paper, person=person)
    return paper


@transaction.atomic
def remove_paper(user, document_id: int) -> None:
    """Remove a paper the citizen uploaded (its file goes with it; results stay: they are the record)."""
    paper = _paper(user, document_id, policies.REMOVE)
    name = paper.file.name
    audit.record_event(user, REMOVED, "wallet_document", paper.pk, data={"kind": paper.kind})
    paper.delete()
    if name:
        transaction.on_commit(lambda: paper.file.storage.delete(name), robust=True)


def _content_of(paper: WalletDocument) -> tuple[bytes, str, str] | None:
    """(content, filename, content type) of the paper, read from where it is kept; None when missing."""
    if paper.source == WalletDocument.Source.RESULT:
        from motcua.signing import selectors as signing

        if paper.signed_document is not None:
            content = signing.read_signed(paper.signed_document)
            if content is not None:
                return content, f"{paper.dossier.code if paper.dossier else 'ket-qua'}.pdf", "application/pdf"
        name = paper.dossier.result_file.name if paper.dossier else ""
    else:
        name = paper.file.name
    if not name:
        return None
    try:
        with uploads.open_stored(name) as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        return None
    sniffed = uploads.sniff(content)
    content_type = paper.content_type or (sniffed[0] if sniffed else "application/octet-stream")
    filename = (
        paper.filename
        or f"{paper.dossier.code if paper.dossier else 'giay-to'}.{sniffed[1] if sniffed else 'bin'}"
    )
    return content, filename, content_type


def open_paper(user, document_id: int, *, via: str = "page") -> OpenedPaper:
    """The paper's file, for its owner only; each opening is an audit entry."""
    paper = _paper(user, document_id, policies.OPEN)
    found = _content_of(paper)
    if found is None:
        raise NotFound(code="document_file_missing")
    content, filename, content_type = found
    audit.record_event(user, OPENED, "wallet_document", paper.pk, data={"kind": paper.kind, "via": via})
    return OpenedPaper(handle=io.BytesIO(content), filename=filename, content_type=content_type)


# --- results ---------------------------------------------------------------------------------------


def collect_results(person, user=None) -> int:
    """Put the results of the person's dossiers (filed by them or for them) into their wallet, once each."""
    from motcua.signing.models import SignedDocument

    if person is None:
        return 0
    whose = Q(person=person) | Q(owner=user) if user is not None else Q(person=person)
    mine = (
        Dossier.objects.filter(whose, state__in=RESULT_STATES)
        .exclude(result_file="")
        .select_related("procedure", "competent_agency")
    )
    known = set(
        WalletDocument.objects.filter(person=person, source=WalletDocument.Source.RESULT).values_list(
            "dossier_id", flat=True
        )
    )
    new = [dossier for dossier in mine.distinct() if dossier.pk not in known]
    if not new:
        return 0
    signed = {}
    for document in SignedDocument.objects.filter(dossier__in=new, form=RESULT_FORM).order_by("version"):
        signed[document.dossier_id] = document  # the newest version wins
    rows = [
        WalletDocument(
            person=person,
            kind=PaperKind.RESULT,
            source=WalletDocument.Source.RESULT,
            dossier=dossier,
            title=(dossier.procedure.result or dossier.procedure.name)[:300],
            number=dossier.code[:40],
            issuer=dossier.competent_agency.name[:200],
            issued_on=timezone.localdate(dossier.result_ready_at) if dossier.result_ready_at else None,
            signed_document=signed.get(dossier.pk),
            added_at=dossier.result_ready_at or timezone.now(),
        )
        for dossier in new
    ]
    # Two page loads at once: the conditional unique constraint keeps one row per dossier.
    created = WalletDocument.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def wallet_of(user) -> list[WalletDocument]:
    """The citizen's papers, newest first (their dossiers' results brought in first)."""
    person = _person(user)
    collect_results(person, user)
    return list(
        WalletDocument.objects.filter(person=person)
        .select_related("dossier__procedure", "signed_document__certificate")
        .order_by("-added_at", "-id")
    )


@dataclass
class RegistryPapers:
    """What the population registry holds of the person: shown as held, never asked for again."""

    record: PersonRecord | None = None
    unavailable: bool = False


def registry_papers(user) -> RegistryPapers:
    person = _person(user)
    try:
        return RegistryPapers(record=get_registry().lookup(person.national_id))
    except RegistryUnavailable as exc:
        logger.warning("population registry unavailable: %s", exc)
        return RegistryPapers(unavailable=True)


# --- sharing with an agency for a new dossier ------------------------------------------------------


@dataclass
class _Pick:
    position: int
    content: bytes
    filename: str
    paper: WalletDocument | None = None


@dataclass
class Picks:
    """Files taken from the wallet (`w:<id>`) or from an earlier dossier of the citizen (`d:<id>`)."""

    items: list[_Pick] = field(default_factory=list)

    def files(self) -> dict[int, list]:
        out: dict[int, list] = {}
        for item in self.items:
            out.setdefault(item.position, []).append(ContentFile(item.content, name=item.filename))
        return out


def _earlier_document(user, person, document_id: int) -> DossierDocument | None:
    document = (
        DossierDocument.objects.select_related("dossier").filter(pk=document_id).exclude(file="").first()
    )
    if document is None:
        return None
    dossier = document.dossier
    return document if dossier.owner_id == user.pk or dossier.person_id == person.pk else None


def resolve_picks(user, picks: dict[int, list[str]]) -> Picks:
    """Read the chosen papers (each one the citizen's own); NotFound for any other."""
    person = _person(user)
    resolved = Picks()
    for position, values in sorted(picks.items()):
        for value in values:
            kind, _sep, raw = (value or "").partition(":")
            if not raw.isdigit():
                raise ValidationFailed(code="pick_invalid", details=[{"field": f"wallet.{position}"}])
            if kind == "w":
                paper = _paper(user, int(raw), policies.SHARE)
                found = _content_of(paper)
                if found is None:
                    raise NotFound(code="document_file_missing")
                resolved.items.append(_Pick(position, found[0], found[1], paper))
            elif kind == "d":
                document = _earlier_document(user, person, int(raw))
                if document is None:
                    raise NotFound()
                try:
                    with uploads.open_stored(document.file.name or "") as handle:
                        content = handle.read()
                except (FileNotFoundError, ValueError) as exc:
                    raise NotFound(code="document_file_missing") from exc
                resolved.items.append(_Pick(position, content, document.filename or "tep"))
            else:
                raise ValidationFailed(code="pick_invalid", details=[{"field": f"wallet.{position}"}])
    return resolved


def _merged(files: dict[int, list], picks: Picks) -> dict[int, list]:
    merged = {position: list(items) for position, items in files.items()}
    for position, items in picks.files().items():
        merged.setdefault(position, []).extend(items)
    return merged


def check_with_wallet(user, sub: Submission, files: dict[int, list], picks: dict[int, list[str]]) -> None:
    """What `file_with_wallet` would refuse, storing nothing."""
    dossier_services.check_submission(user, sub, _merged(files, resolve_picks(user, picks)))


def file_with_wallet(
    user,
    sub: Submission,
    files: dict[int, list],
    picks: dict[int, list[str]],
    *,
    now: dt.datetime | None = None,
) -> Dossier:
    """File a new online dossier through intake, its chosen documents taken from the wallet.

    The agency gets a copy in the dossier (as if uploaded, checked the same way); the wallet records
    the share and the audit log names the paper and the dossier.
    """
    resolved = resolve_picks(user, picks)
    now = now or timezone.now()
    with uploads.atomic_with_files():
        filed = dossier_services.file_dossier(user, sub, _merged(files, resolved), now=now)
        shares = [
            WalletShare(document=item.paper, dossier=filed.dossier, position=item.position, shared_at=now)
            for item in resolved.items
            if item.paper is not None
        ]
        try:
            with transaction.atomic():
                WalletShare.objects.bulk_create(shares)
        except IntegrityError:  # the same paper picked twice for one document: one share is the record
            shares = _unique_shares(shares)
            WalletShare.objects.bulk_create(shares)
        for share in shares:
            audit.record_event(
                user,
                SHARED,
                "wallet_document",
                share.document.pk,
                data={"kind": share.document.kind, "dossier": filed.dossier.code, "position": share.position},
            )
    return filed.dossier


def _unique_shares(shares: list[WalletShare]) -> list[WalletShare]:
    seen: set[tuple[int, int]] = set()
    unique = []
    for share in shares:
        key = (share.document.pk, share.position)
        if key not in seen:
            seen.add(key)
            unique.append(share)
    return unique


# --- one-tap repeat --------------------------------------------------------------------------------


@dataclass
class Repeat:
    """What a new dossier repeating an earlier one starts with."""

    dossier: Dossier
    initial: dict[str, Any]
    picks: dict[int, list[str]]


def repeat_of(user, code: str) -> Repeat:
    """The earlier dossier's procedure, applicant details and documents, to start the same one again.

    Only a dossier the citizen filed (or that was filed for them); the documents are those shared from
    the wallet (picked again) and the files uploaded with it, for the documents the procedure still asks.
    """
    person = _person(user)
    dossier = Dossier.objects.select_related("procedure").filter(code=code[:40]).first()
    if dossier is None or not (dossier.owner_id == user.pk or dossier.person_id == person.pk):
        raise NotFound()
    positions = set(dossier.procedure.documents.values_list("position", flat=True))
    picks: dict[int, list[str]] = {}
    shared: dict[int, list[str]] = {}
    for share in WalletShare.objects.filter(dossier=dossier, document__person=person).order_by("pk"):
        shared.setdefault(share.position, []).append(f"w:{share.document_id}")
    for position, values in shared.items():
        if position in positions:
            picks[position] = values
    for document in dossier.documents.exclude(file="").order_by("position", "pk"):
        if (
            document.position in positions
            and document.position not in shared
            and document.source in (DossierDocument.Source.UPLOAD, DossierDocument.Source.SUPPLEMENT)
        ):
            picks.setdefault(document.position, []).append(f"d:{document.pk}")
    initial = {
        "procedure": dossier.procedure.code,
        "name": dossier.applicant_name,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        "rep_name": dossier.representative_name,
        "rep_id_number": dossier.representative_id_number,
        "rep_phone": dossier.representative_phone,
    }
    return Repeat(dossier=dossier, initial=initial, picks=picks)


def earlier_documents(user, ids: list[int]) -> dict[int, DossierDocument]:
    """The earlier dossiers' documents among `ids` that are the citizen's own (for the page's labels)."""
    person = _person(user)
    found = {}
    for document_id in ids:
        document = _earlier_document(user, person, document_id)
        if document is not None:
            found[document_id] = document
    return found
