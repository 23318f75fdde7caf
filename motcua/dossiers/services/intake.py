"""Intake: a dossier filed at a counter, online, by post or through the national portal."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog import fees
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.selectors import fee_rules, taken_at_branch
from motcua.core import domain_events, roles, uploads
from motcua.core.codes import next_dossier_code, next_dossier_code_and_slip
from motcua.core.errors import DomainError, PermissionDenied, ValidationFailed
from motcua.core.ids import (
    GENDER_LABELS,
    NationalId,
    national_id_mismatches,
    parse_national_id,
    validate_tax_code,
)
from motcua.core.phones import normalise_phone
from motcua.core.text import fold
from motcua.core.uploads import CheckedFile, UploadRefused, check_upload
from motcua.integrations.population_registry import PersonRecord, RegistryUnavailable, get_registry
from motcua.org.models import AdministrativeUnit, Agency, Branch, Person, ServicePoint
from motcua.org.selectors import default_service_point

from .. import policies
from ..models import DOCUMENT_FOLDER, ApplicantKind, Channel, Dossier, DossierDocument, State
from . import common, deadlines, numbering

logger = logging.getLogger(__name__)


@dataclass
class ApplicantData:
    kind: str
    id_number: str
    name: str = ""
    birth_date: dt.date | None = None
    gender: str = ""  # "male" | "female" | "" (a person's: taken from the ID number when not given)
    phone: str = ""
    email: str = ""
    address: str = ""
    commune: str = ""  # administrative unit code


@dataclass
class RepresentativeData:
    name: str
    id_number: str
    phone: str = ""


@dataclass
class Submission:
    procedure: str
    applicant: ApplicantData
    channel: str = Channel.COUNTER
    representative: RepresentativeData | None = None
    branch: str = ""
    service_point: str = ""  # where it is received and the result returned; default: the branch's first
    shown: list[int] = field(default_factory=list)
    sets: int = 1
    fees: FeeDeclaration | None = None


@dataclass
class FeeDeclaration:
    """What the applicant declares for the fees: per fee position, the units (pages, plots…), the copies and
    the declared value; the exemptions claimed; at the counter, whether the officer saw their evidence."""

    units: dict[int, int] = field(default_factory=dict)
    copies: dict[int, int] = field(default_factory=dict)
    values: dict[int, int] = field(default_factory=dict)
    exemptions: list[str] = field(default_factory=list)
    evidence_seen: bool = False


def _problem(problems: list, field_name: str, code: str, message) -> None:
    problems.append({"field": field_name, "code": code, "message": str(message)})


def _check_ids(sub: Submission, problems: list) -> NationalId | None:
    """Each ID number's own rules; the applicant's national ID decoded, for the checks that compare with it."""
    person = sub.applicant.kind == ApplicantKind.PERSON
    checks = [("applicant.id_number", sub.applicant.id_number, parse_national_id if person else validate_tax_code)]
    if sub.representative is not None:
        checks.append(("representative.id_number", sub.representative.id_number, parse_national_id))
    parsed = None
    for name, value, check in checks:
        try:
            result = check(value)
        except ValidationFailed as exc:
            _problem(problems, name, exc.code, exc.message)
        else:
            if name == "applicant.id_number" and isinstance(result, NationalId):
                parsed = result
    return parsed


MAX_AGE_YEARS = 130


def _check_person(applicant: ApplicantData, parsed: NationalId | None, today: dt.date, problems: list) -> None:
    """A person's birth date (not in the future, not more than 130 years ago) and gender, against the ID number."""
    if applicant.gender and applicant.gender not in GENDER_LABELS:
        _problem(problems, "applicant.gender", "gender_unknown", _("Giới tính phải là nam hoặc nữ."))
    birth_date = applicant.birth_date
    if birth_date is not None and birth_date > today:
        _problem(problems, "applicant.birth_date", "birth_date_future", _("Ngày sinh không thể sau ngày hôm nay."))
        birth_date = None
    elif birth_date is not None and birth_date.year < today.year - MAX_AGE_YEARS:
        _problem(problems, "applicant.birth_date", "birth_date_too_old",
                 _("Ngày sinh không hợp lệ: quá %(n)d năm trước.") % {"n": MAX_AGE_YEARS})
        birth_date = None
    if parsed is None:
        return
    gender = applicant.gender if applicant.gender in GENDER_LABELS else ""
    for error in national_id_mismatches(parsed, birth_date=birth_date, gender=gender):
        field_name = "applicant.gender" if error.code == "national_id_gender_mismatch" else "applicant.birth_date"
        _problem(problems, field_name, error.code, error.message)


def _phone(value: str, field_name: str, problems: list) -> str:
    """The number in its stored form (core.phones), or a problem; empty stays empty."""
    if not (value or "").strip():
        return ""
    try:
        return normalise_phone(value)
    except ValidationFailed as exc:
        _problem(problems, field_name, exc.code, exc.message)
        return value.strip()


def _commune(code: str, problems: list) -> AdministrativeUnit | None:
    """A commune of the 2025 list; a former one (merged on 1/7/2025) names what replaced it."""
    commune = AdministrativeUnit.objects.filter(code=code, level=AdministrativeUnit.Level.COMMUNE,
                                                is_current=True).first()
    if commune is not None:
        return commune
    former = (AdministrativeUnit.objects.filter(code=code, is_current=False)
              .exclude(level=AdministrativeUnit.Level.PROVINCE).prefetch_related("successors").first())
    if former is None:
        _problem(problems, "applicant.commune", "unknown_commune", _("Không có xã, phường với mã này."))
    else:
        names = ", ".join(unit.name for unit in former.successors.all()) or "—"
        _problem(problems, "applicant.commune", "commune_not_current",
                 _("%(name)s không còn là đơn vị hành chính từ 1/7/2025: chọn đơn vị mới (%(names)s).")
                 % {"name": former.name, "names": names})
    return None


def _lookup(sub: Submission, problems: list) -> PersonRecord | None:
    if sub.applicant.kind != ApplicantKind.PERSON or any(p["field"] == "applicant.id_number" for p in problems):
        return None
    try:
        return get_registry().lookup(sub.applicant.id_number.strip())
    except RegistryUnavailable as exc:
        # Never the ID number in logs; the dossier proceeds with paper documents.
        logger.warning("population registry unavailable: %s", exc)
        return None


def _competent_agency(procedure: Procedure, commune: AdministrativeUnit | None, problems: list) -> Agency | None:
    if not procedure.competent_by_commune:
        return procedure.agency
    if commune is None:
        _problem(problems, "applicant.commune", "commune_required",
                 _("Thủ tục do UBND xã, phường nơi cư trú giải quyết: cần xã, phường của người nộp."))
        return None
    agency = Agency.objects.filter(kind=Agency.Kind.COMMUNE, commune=commune, is_active=True).first()
    if agency is None:
        _problem(problems, "applicant.commune", "commune_agency_unknown",
                 _("Chưa có UBND xã, phường này trong danh mục cơ quan."))
    return agency


def checklist(procedure: Procedure, *, registry_known: bool) -> list[tuple[RequiredDocument, str]]:
    """Each catalog document with what is expected: "upload", "shown", "registry" or "optional"."""
    items = []
    for document in procedure.documents.order_by("position"):
        if document.registry_replaces and registry_known:
            items.append((document, "registry"))
        elif document.kind == RequiredDocument.Kind.SHOWN:
            items.append((document, "shown"))
        elif document.optional:
            items.append((document, "optional"))
        else:
            items.append((document, "upload"))
    return items


def check_files(files: dict[int, list], known_positions: set[int], problems: list,
                prefix: str = "document") -> dict[int, list[CheckedFile]]:
    checked: dict[int, list[CheckedFile]] = {}
    for position, uploaded_files in sorted(files.items()):
        if position not in known_positions:
            _problem(problems, f"{prefix}.{position}", "unknown_document",
                     _("Thành phần hồ sơ số %(n)s không có trong danh mục của thủ tục.") % {"n": position})
            continue
        for uploaded in uploaded_files:
            try:
                checked.setdefault(position, []).append(check_upload(uploaded))
            except UploadRefused as exc:
                _problem(problems, f"{prefix}.{position}", exc.code, exc.message)
                problems[-1]["file"] = exc.filename
    return checked


def store_files(dossier: Dossier, documents: dict[int, RequiredDocument], checked: dict[int, list[CheckedFile]],
                source: str, now: dt.datetime, *, also: Sequence[DossierDocument] = ()) -> list[DossierDocument]:
    """One row per file (and the rows `also` given), in one statement; the file under a random name,
    in place once the caller's transaction commits.

    Call inside `uploads.atomic_with_files()`, so that a rollback deletes the files as well.
    """
    rows = [DossierDocument(dossier=dossier, required_document=documents[position], position=position,
                            name=documents[position].name, source=source, filename=item.filename,
                            content_type=item.content_type, size=item.size, sha256=item.sha256, added_at=now,
                            file=uploads.stage(item, DOCUMENT_FOLDER, now))
            for position, files in checked.items() for item in files]
    return DossierDocument.objects.bulk_create([*rows, *also])


def _channel_allowed(user, channel: str) -> bool:
    if channel in (Channel.COUNTER, Channel.POST):
        return roles.has_role(user, roles.RECEPTION_OFFICER) or roles.is_admin(user)
    if channel == Channel.NATIONAL_PORTAL:
        return roles.is_admin(user)
    return user.is_authenticated


@dataclass
class _Examined:
    """Everything intake found out about a submission: its problems, and what storing it needs."""

    problems: list
    procedure: Procedure | None = None
    record: PersonRecord | None = None
    commune: AdministrativeUnit | None = None
    name: str = ""
    gender: str = ""
    phone: str = ""
    representative_phone: str = ""
    branch: Branch | None = None
    point: ServicePoint | None = None
    agency: Agency | None = None
    items: list[tuple[RequiredDocument, str]] = field(default_factory=list)  # the checklist
    documents: dict[int, RequiredDocument] = field(default_factory=dict)
    checked: dict[int, list[CheckedFile]] = field(default_factory=dict)
    fee_declaration: dict = field(default_factory=dict)


def _check_fees(procedure: Procedure, sub: Submission, now: dt.datetime, problems: list) -> dict:
    """The fee declaration checked against the procedure's fee rules; its JSON form for the dossier."""
    declared = sub.fees
    if declared is None:
        return {}
    rules = {rule.position: rule for rule in fee_rules(procedure)}
    for key, allowed in (("units", fees.PER_UNIT), ("copies", fees.PER_UNIT), ("values", fees.PERCENT)):
        for position in getattr(declared, key):
            if position not in rules or rules[position].basis != allowed:
                _problem(problems, f"fees.{key}.{position}", "fee_position_unknown",
                         _("Thủ tục không có khoản phí này để kê khai."))
    # At the counter the officer sees the evidence, and the exemption applies at once; claimed online (or
    # without the evidence seen), one that needs evidence waits for the fee counter to see it.
    seen = declared.evidence_seen and sub.channel in (Channel.COUNTER, Channel.POST)
    exemptions = {e.code: e for rule in rules.values() for e in rule.exemptions}
    claims, to_verify = {}, []
    for code in dict.fromkeys(declared.exemptions):
        if code not in exemptions:
            _problem(problems, "fees.exemptions", "exemption_unknown", _("Không có diện miễn, giảm này cho thủ tục."))
        elif seen or not exemptions[code].evidence:
            claims[code] = True
        else:
            to_verify.append(code)
    facts = fees.FeeFacts(channel=sub.channel, on=timezone.localdate(now), units=dict(declared.units),
                          copies=dict(declared.copies), values=dict(declared.values), claims=claims)
    try:
        fees.compute(list(rules.values()), facts)
    except ValidationFailed as error:
        for detail in error.details or [{}]:
            _problem(problems, str(detail.get("field", "fees")).replace("fee.", "fees."),
                     detail.get("code", error.code), error.message)
    declaration = fees.declaration_of(facts)
    if to_verify:
        declaration["to_verify"] = to_verify
    return declaration


def _examine(user, sub: Submission, files: dict[int, list], now: dt.datetime) -> _Examined:
    """Every rule of intake, each problem listed (nothing is stored here)."""
    procedure = Procedure.objects.filter(code=sub.procedure, status=Procedure.Status.OPERATIONAL,
                                         is_active=True).select_related("agency").first()
    found = _Examined(problems=[], procedure=procedure)
    problems = found.problems
    if procedure is None:
        _problem(problems, "procedure", "unknown_procedure", _("Không có thủ tục này đang áp dụng tại trung tâm."))
    parsed = _check_ids(sub, problems)
    applicant = sub.applicant
    person = applicant.kind == ApplicantKind.PERSON
    if person:
        _check_person(applicant, parsed, timezone.localdate(now), problems)
    found.phone = _phone(applicant.phone, "applicant.phone", problems)
    if sub.representative is not None:
        found.representative_phone = _phone(sub.representative.phone, "representative.phone", problems)
    record = found.record = _lookup(sub, problems)
    commune_code = applicant.commune or (record.commune_code if record else "")
    found.commune = _commune(commune_code, problems) if commune_code else None
    found.name = applicant.name.strip() or (record.full_name if record else "")
    if not found.name:
        _problem(problems, "applicant.name", "name_required", _("Cần họ tên người nộp (hoặc tên tổ chức)."))
    if person:
        found.gender = (applicant.gender if applicant.gender in GENDER_LABELS else "") \
            or (record.gender if record and record.gender in GENDER_LABELS else "") or (parsed.gender if parsed else "")
    found.branch, found.point = _place_for(user, sub, problems)
    found.agency = _competent_agency(procedure, found.commune, problems) if procedure else None
    if procedure is not None:
        _check_filing_place(procedure, found.branch, found.commune, problems)
        items = found.items = checklist(procedure, registry_known=record is not None)
        found.documents = {doc.position: doc for doc, _expect in items}
        found.checked = check_files(files, set(found.documents), problems)
        found.fee_declaration = _check_fees(procedure, sub, now, problems)
        for document, expect in items:
            if expect == "upload" and document.position not in files:
                _problem(problems, f"document.{document.position}", "document_missing",
                         _("Thiếu thành phần hồ sơ: %(name)s") % {"name": document.name})
    return found


def _refusal(problems: list) -> ValidationFailed:
    return ValidationFailed(gettext("Hồ sơ chưa hợp lệ: %(n)d vấn đề.") % {"n": len(problems)},
                            code="dossier_invalid", details=problems)


def _admissible(user, sub: Submission, files: dict[int, list], now: dt.datetime) -> _Examined:
    """What intake found, once every check passed; the refusal with every problem at once otherwise."""
    if not _channel_allowed(user, sub.channel):
        raise PermissionDenied()
    found = _examine(user, sub, files, now)
    if found.problems or found.procedure is None or found.agency is None:
        raise _refusal(found.problems)
    return found


def check_submission(user, sub: Submission, files: dict[int, list], *, now: dt.datetime | None = None) -> None:
    """Raise what `submit_dossier` would refuse (every problem at once), storing nothing.

    For a page whose own form already failed: its field errors and these problems are shown together.
    """
    _admissible(user, sub, files, now or timezone.now())


@dataclass
class Filed:
    """A dossier just filed, with the rows intake wrote: its answer is built without reading them back."""

    dossier: Dossier
    documents: list[DossierDocument]
    steps: list


def submit_dossier(user, sub: Submission, files: dict[int, list], *, now: dt.datetime | None = None) -> Dossier:
    """Check everything, then store the dossier (received at once at a counter or by post)."""
    return file_dossier(user, sub, files, now=now).dossier


def file_dossier(user, sub: Submission, files: dict[int, list], *, now: dt.datetime | None = None) -> Filed:
    """`submit_dossier`, returning what was stored."""
    now = now or timezone.now()
    found = _admissible(user, sub, files, now)
    procedure = found.procedure
    assert procedure is not None  # _admissible refuses a submission without an operational procedure
    sources = {"registry": DossierDocument.Source.REGISTRY, "shown": DossierDocument.Source.SHOWN}
    with uploads.atomic_with_files():
        dossier, slip = _create(user, sub, found, now)
        listed = [DossierDocument(dossier=dossier, required_document=document, name=document.name,
                                  position=document.position, added_at=now, source=sources[expect])
                  for document, expect in found.items
                  if expect == "registry" or (expect == "shown" and document.position in sub.shown)]
        documents = store_files(dossier, found.documents, found.checked, DossierDocument.Source.UPLOAD, now,
                                also=listed)
        steps = []
        if dossier.state == State.RECEIVED:
            steps.append(_start_route(dossier, user, now))
            numbering.assign(dossier, numbering.Form.RECEIPT, now, drawn=slip)
        common.log(user, dossier, "submitted", "", channel=dossier.channel, procedure=procedure.code,
                   registry_used=dossier.registry_used)
        domain_events.dispatch("dossier.submitted", user=user, dossier=dossier, now=now)
    return Filed(dossier, sorted(documents, key=lambda d: (d.position, d.pk)), steps)


def _place_for(user, sub: Submission, problems: list) -> tuple[Branch | None, ServicePoint | None]:
    """The receiving branch (with its center) and service point; at a counter, read together."""
    officer = roles.officer_of(user)
    at_desk = sub.channel in (Channel.COUNTER, Channel.POST) and officer is not None and officer.branch_id
    if at_desk and not sub.service_point:
        point = default_service_point(officer.branch_id)
        return (point.branch, point) if point is not None else (_branch_for(user, sub, problems), None)
    branch = _branch_for(user, sub, problems)
    return branch, _service_point_for(branch, sub.service_point, problems)


def _branch_for(user, sub: Submission, problems: list) -> Branch | None:
    officer = roles.officer_of(user)
    if sub.channel in (Channel.COUNTER, Channel.POST) and officer is not None and officer.branch_id:
        return Branch.objects.select_related("center").filter(pk=officer.branch_id).first()
    if sub.branch:
        branch = Branch.objects.filter(code=sub.branch, is_active=True).select_related("center").first()
        if branch is None:
            _problem(problems, "branch", "unknown_branch", _("Không có chi nhánh này."))
        return branch
    if sub.channel in (Channel.COUNTER, Channel.POST):
        _problem(problems, "branch", "branch_required", _("Cần chi nhánh tiếp nhận."))
    return None


def _check_filing_place(procedure: Procedure, branch: Branch | None, commune: AdministrativeUnit | None,
                        problems: list) -> None:
    """Any branch takes any procedure, except those the province ties to a place (`Procedure.anywhere`).

    Such a procedure names the branches that take it (`filing_branches`), or else is taken only where
    one of the branch's service points lies in the applicant's commune. Without a branch yet (online),
    the check waits for the branch that receives the dossier.
    """
    taken = taken_at_branch(procedure, branch.number) if branch is not None else True
    if taken is True:
        return
    if taken is False:
        numbers = ", ".join(str(n) for n in procedure.filing_branches)
        _problem(problems, "branch", "not_filed_here",
                 _("Thủ tục này chỉ tiếp nhận tại chi nhánh số %(numbers)s.") % {"numbers": numbers})
        return
    local = ServicePoint.objects.filter(branch=branch, is_active=True, commune=commune).exists() if commune else False
    if not local:
        _problem(problems, "branch", "not_filed_here",
                 _("Thủ tục này chỉ tiếp nhận tại nơi có điểm tiếp nhận thuộc xã, phường của người nộp."))


def _service_point_for(branch: Branch | None, code: str, problems: list) -> ServicePoint | None:
    """The service point named by `code`, which must belong to the receiving branch; else the branch's default."""
    if not code:
        return default_service_point(branch.pk if branch else None)
    point = ServicePoint.objects.filter(code=code, is_active=True).first()
    if point is None:
        _problem(problems, "service_point", "unknown_service_point", _("Không có điểm tiếp nhận này."))
    elif branch is not None and point.branch_id != branch.pk:
        _problem(problems, "service_point", "service_point_not_in_branch",
                 _("Điểm tiếp nhận không thuộc chi nhánh tiếp nhận hồ sơ."))
        return None
    return point


def _create(user, sub: Submission, found: _Examined, now: dt.datetime) -> tuple[Dossier, int | None]:
    """The dossier's row, and the number of its slip 01 when it is received at once (drawn with its code)."""
    assert found.procedure is not None and found.agency is not None  # submit_dossier refuses without them
    at_counter = sub.channel in (Channel.COUNTER, Channel.POST)
    applicant, record, name, point = sub.applicant, found.record, found.name, found.point
    id_number = applicant.id_number.strip().replace(" ", "")
    person = Person.objects.filter(national_id=id_number).first() if applicant.kind == ApplicantKind.PERSON else None
    rep = sub.representative
    branch = found.branch or (point.branch if point else None)
    day, slip = timezone.localdate(now), None
    if at_counter:
        year = timezone.localtime(now).year
        code, slip = next_dossier_code_and_slip(found.agency.e_id, day, numbering.Form.RECEIPT,
                                                numbering.book_of(branch, year), year)
    else:
        code = next_dossier_code(found.agency.e_id, day)
    dossier = Dossier(
        code=code,
        procedure=found.procedure, channel=sub.channel, state=State.RECEIVED if at_counter else State.NEW,
        applicant_kind=applicant.kind, applicant_name=name[:200], applicant_name_folded=fold(name[:200]),
        applicant_id_number=id_number,
        applicant_birth_date=applicant.birth_date or (record.birth_date if record else None),
        applicant_gender=found.gender,
        applicant_phone=found.phone, applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip() or (record.address if record else ""),
        applicant_commune=found.commune, person=person, registry_used=record is not None,
        representative_name=rep.name.strip() if rep else "", representative_id_number=rep.id_number if rep else "",
        representative_phone=found.representative_phone if rep else "",
        owner=user if sub.channel == Channel.ONLINE else None,
        competent_agency=found.agency, branch=branch, service_point=point,
        sets=max(1, sub.sets), submitted_at=now, fee_declaration=found.fee_declaration,
        received_at=now if at_counter else None, received_by=user if at_counter else None,
    )
    dossier.due_at = deadlines.appointment_at(dossier)
    dossier.save()
    return dossier, slip


def _start_route(dossier: Dossier, user, now: dt.datetime):
    """Open the route's first step; the receiving officer holds it when it is the reception step."""
    route = common.route_of(dossier)
    if not route:
        raise DomainError(_("Thủ tục chưa có quy trình nội bộ."), code="route_missing")
    holds = (route[0].role == "reception" and not roles.is_admin(user)
             and policies.Facts(user, dossier).in_branch(roles.RECEPTION_OFFICER))
    return common.open_step(dossier, route[0], now=now, assignee=user if holds else None)


@transaction.atomic
def receive_online(user, code: str, *, version: int | None = None, now: dt.datetime | None = None) -> Dossier:
    """A reception officer receives a dossier filed online (or from the national portal)."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "receive", dossier, now=now)
    officer = roles.officer_of(user)
    changes = {"state": State.RECEIVED, "received_at": now, "received_by": user}
    if dossier.branch_id is None and officer is not None and officer.branch_id:
        changes["branch"] = officer.branch
    problems: list = []
    _check_filing_place(dossier.procedure, changes.get("branch") or dossier.branch, dossier.applicant_commune,
                        problems)
    if problems:
        raise ValidationFailed(problems[0]["message"], code=problems[0]["code"], details=problems)
    before = common.claim(dossier, version)
    if dossier.service_point_id is None:
        changes["service_point"] = default_service_point(changes["branch"].pk if "branch" in changes
                                                         else dossier.branch_id)
    common.save_fields(dossier, **changes)
    common.save_fields(dossier, due_at=deadlines.appointment_at(dossier))
    _start_route(dossier, user, now)
    numbering.assign(dossier, numbering.Form.RECEIPT, now)
    common.log(user, dossier, "received", before)
    domain_events.dispatch("dossier.received", user=user, dossier=dossier, now=now)
    return dossier


@transaction.atomic
def refuse_intake(user, code: str, *, reason: str, version: int | None = None,
                  now: dt.datetime | None = None) -> Dossier:
    """Not received (form 03): the online dossier does not qualify; the reason is required."""
    dossier = common.load(code, version)
    now = now or timezone.now()
    policies.check(user, "refuse_intake", dossier, now=now)
    officer = roles.officer_of(user)
    _require_reason(reason)
    before = common.claim(dossier, version)
    common.save_fields(dossier, state=State.NOT_RECEIVED, decision_reason=reason.strip(), closed_at=now)
    numbering.assign(dossier, numbering.Form.REFUSAL, now, branch=officer.branch if officer is not None else None)
    common.log(user, dossier, "refuse_intake", before, reason.strip())
    return dossier


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationFailed(_("Cần nêu rõ lý do."), code="reason_required",
                               details=[{"field": "reason", "code": "reason_required"}])
