"""The printed forms of a dossier (Circular 03/2025/TT-VPCP, annex I): dossier data onto `motcua.pdf`.

Forms 01-06 concern one dossier, form 07 (the register) a period. The PDFs carry the applicant's full
personal data (they are handed to the applicant); nothing here logs it. See docs/dossiers.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import pdf
from motcua.catalog.models import RequiredDocument, RouteStep
from motcua.core import audit, roles
from motcua.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.org.models import Agency, Branch, Center

from . import selectors, slip_selectors
from .models import Channel, Dossier, DossierDocument, DossierStep, ReturnMethod, State
from .services import deadlines, numbering

FORMS = ("01", "02", "03", "04", "05", "06", "refusal")
REGISTER_MAX_DAYS = 366
PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FormNotApplicable(DomainError):
    status = 409
    code = "form_not_applicable"
    default_message = gettext_lazy("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại.")


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page of the dossier, with its key: what the slips' QR code opens."""
    site = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + dossier.tracking_path()


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _local_date(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


# --- who issues, where ----------------------------------------------------------------------------

def _province_names(center: Center | None) -> tuple[str, str]:
    """(full name, place): ("Thành phố Hà Nội", "Hà Nội"), whatever the province is called in the data."""
    if center is None:
        return "", ""
    province = center.province
    name = province.name.strip()
    lowered = name.lower()
    for prefix in ("thành phố ", "tỉnh "):
        if lowered.startswith(prefix):
            return name, name[len(prefix):].strip()
    kind = (province.kind or "").lower()
    prefix = "Thành phố" if kind.startswith("thành phố") else "Tỉnh" if kind.startswith("tỉnh") else ""
    return (f"{prefix} {name}".strip(), name)


def _issuer(center: Center | None, department: str = "", name: str = "") -> pdf.Issuer:
    full, place = _province_names(center)
    parent = _("UBND %(province)s") % {"province": full} if full else ""
    return pdf.Issuer(name=name or (center.name if center else ""), place=place, parent=parent,
                      department=department if department != name else "")


def _center_issuer(dossier: Dossier) -> pdf.Issuer:
    return _issuer(slip_selectors.center_of(dossier), dossier.branch.name if dossier.branch_id else "")


def _issuer_for_actor(dossier: Dossier, user) -> pdf.Issuer:
    """The center (and branch) for the center's staff, the officer's own agency otherwise."""
    officer = roles.officer_of(user)
    if officer is None or officer.agency.kind == Agency.Kind.CENTER:
        return _center_issuer(dossier)
    return _issuer(slip_selectors.center_of(dossier), name=officer.agency.name)


def _receiving_unit(dossier: Dossier) -> str:
    point = slip_selectors.service_point_of(dossier)
    if not dossier.branch_id:
        center = slip_selectors.center_of(dossier)
        return center.name if center else ""
    if point is not None and point.name != dossier.branch.name:
        return f"{dossier.branch.name} ({point.name})"
    return dossier.branch.name


def _return_place(dossier: Dossier) -> str:
    point = slip_selectors.service_point_of(dossier)
    if point is not None:
        return ", ".join(part for part in (point.name, point.address) if part)
    center = slip_selectors.center_of(dossier)
    parts = [dossier.branch.name if dossier.branch_id else "", center.address if center else ""]
    return ", ".join(part for part in parts if part)


def _applicant(data: dict) -> pdf.Applicant:
    return pdf.Applicant(name=data["name"], id_number=data["id_number"], address=data["address"],
                         phone=data["phone"], email=data["email"])


def _applicant_of(dossier: Dossier) -> pdf.Applicant:
    return pdf.Applicant(name=dossier.applicant_name, id_number=dossier.applicant_id_number,
                         address=dossier.applicant_address, phone=dossier.applicant_phone,
                         email=dossier.applicant_email)


def _head_title(agency: Agency) -> str:
    """The title of an agency's head, printed above the signature of form 04 and of a refusal letter."""
    if agency.kind == Agency.Kind.COMMUNE:
        return _("CHỦ TỊCH")
    return _("GIÁM ĐỐC") if agency.kind in (Agency.Kind.CENTER, Agency.Kind.DEPARTMENT) else _("THỦ TRƯỞNG CƠ QUAN")


def _signer_title(officer) -> str:
    """Printed above a signature that binds the unit: the officer's title, else "on behalf of the unit"."""
    if officer is not None and officer.title:
        return officer.title.upper()
    return _("ĐẠI DIỆN CƠ QUAN")


def _days(days: Decimal | None) -> str:
    if days is None:
        return ""
    text = f"{days.normalize():f}".replace(".", ",")
    return _("%(days)s ngày làm việc") % {"days": text}


# --- 01 receipt and appointment slip --------------------------------------------------------------

_ELECTRONIC_CHANNELS = {Channel.ONLINE, Channel.NATIONAL_PORTAL}


def _document_kind(source: str, kind: str, channel: str) -> str:
    # What came from the population database was not handed in, even where the catalog asks for an
    # original to be shown (the ID card): the slip says where it came from.
    if source == DossierDocument.Source.REGISTRY:
        return _("Khai thác từ CSDL quốc gia về dân cư")
    if source == DossierDocument.Source.SHOWN or kind == RequiredDocument.Kind.SHOWN:
        return _("Bản chính (xuất trình)")
    if channel in _ELECTRONIC_CHANNELS:
        return pdf.DocumentKind.ELECTRONIC
    return {RequiredDocument.Kind.COPY: pdf.DocumentKind.COPY,
            RequiredDocument.Kind.CERTIFIED_COPY: pdf.DocumentKind.CERTIFIED_COPY}.get(
        kind, pdf.DocumentKind.ORIGINAL)


def _received_documents(dossier: Dossier, documents: list[dict]) -> list[pdf.ReceivedDocument]:
    """One line per checklist document and way it came in; files of the same document are counted once."""
    copies = slip_selectors.document_copies(dossier)
    lines: dict[tuple[int, str], dict] = {}
    for doc in documents:
        key = (doc["position"], doc["source"])
        line = lines.setdefault(key, {**doc, "files": 0})
        line["files"] += 1
    result = []
    for (position, source), line in sorted(lines.items()):
        kind = _document_kind(source, line["kind"], dossier.channel)
        if kind == pdf.DocumentKind.ELECTRONIC:
            count = line["files"]
        else:
            count = copies.get(position, 1)
        name = line["name"]
        if source == DossierDocument.Source.SUPPLEMENT:
            name = _("%(name)s (bổ sung)") % {"name": name}
        result.append(pdf.ReceivedDocument(name=name, kind=kind, copies=max(1, count)))
    return result


def receipt_slip(dossier: Dossier) -> pdf.ReceiptSlip:
    if dossier.received_at is None or dossier.state in (State.NEW, State.NOT_RECEIVED):
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận: chưa có giấy tiếp nhận."))
    data = selectors.receipt_slip(dossier)
    rep = data["representative"]
    receipt = numbering.number_of(dossier, numbering.Form.RECEIPT)
    return pdf.ReceiptSlip(
        issuer=_center_issuer(dossier),
        number=numbering.printed_number(receipt),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        tracking_key=dossier.printed_tracking_key,
        receiving_unit=_receiving_unit(dossier),
        applicant=_applicant(data["applicant"]),
        representative=pdf.Representative(name=rep["name"], id_number=rep["id_number"], phone=rep["phone"])
        if rep else None,
        matter=data["matter"],
        documents=_received_documents(dossier, data["documents"]),
        sets=data["sets"],
        processing_time=_days(data["legal_processing_days"]),
        received_at=data["received_at"],
        return_at=deadlines.current_appointment(dossier),
        return_place=_return_place(dossier),
        receiving_officer=pdf.Signature(name=data["received_by"]),
        issued_on=_local_date(data["received_at"]),
        fees=_fixed_fees(dossier),
        register_book=receipt.book if receipt else "",
        register_number=str(receipt.number) if receipt else "",
    )


def _fixed_fees(dossier: Dossier) -> int | None:
    """The fees to pay for the dossier when the catalog fixes all of them per dossier; None otherwise.

    A fee per unit (per page, per copy…) or without a known amount cannot be totalled at intake: the
    slip then prints nothing rather than a wrong figure.
    """
    fees = list(dossier.procedure.fees.values_list("amount", "per"))
    if not fees or any(amount is None or per for amount, per in fees):
        return None
    return sum(amount for amount, _per in fees)


# --- 02 supplement request ------------------------------------------------------------------------

def supplement_request(dossier: Dossier) -> pdf.SupplementRequest:
    supplement = slip_selectors.supplement_of(dossier)
    if supplement is None:
        raise FormNotApplicable(_("Hồ sơ không có yêu cầu bổ sung."))
    officer = roles.officer_of(supplement.requested_by)
    center = slip_selectors.center_of(dossier)
    unit = officer.agency.name if officer is not None and officer.agency.kind != Agency.Kind.CENTER \
        else _receiving_unit(dossier)
    who = _name(supplement.requested_by)
    contact = f"{who}, {unit}" if who else unit
    phone = ((officer.phone if officer else "") or (dossier.branch.phone if dossier.branch_id else "")
             or (center.phone if center else "") or "…………")  # left to fill in by hand
    deadline = deadlines.supplement_deadline(dossier, supplement)
    return pdf.SupplementRequest(
        issuer=_issuer_for_actor(dossier, supplement.requested_by),
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.SUPPLEMENT)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        receiving_unit=_receiving_unit(dossier),
        applicant=_applicant_of(dossier),
        matter=dossier.procedure.name,
        items=[pdf.SupplementItem(what=item.get("name", ""), why=item.get("reason", ""))
               for item in supplement.items or []],
        contact_officer=contact,
        contact_phone=phone,
        issued_on=_local_date(supplement.requested_at),
        received_at=dossier.received_at,
        complete_by=_local_date(deadline),
        signer=pdf.Signature(name=who),
    )


# --- 03 refusal -----------------------------------------------------------------------------------

INTAKE, OUTCOME = "intake", "outcome"


def refusal_kind(dossier: Dossier) -> str | None:
    """How the dossier was refused: at intake by the desk (form 03, in the center's name), on its
    outcome by the competent agency (the agency's letter), or not at all (None)."""
    if dossier.state == State.NOT_RECEIVED:
        return INTAKE
    refused_then_returned = dossier.state == State.RETURNED and bool(dossier.decision_reason)
    if dossier.state != State.REFUSED and not refused_then_returned:
        return None
    step = slip_selectors.refused_step(dossier)
    return INTAKE if step is None or step.role == RouteStep.Role.RECEPTION else OUTCOME


def refusal(dossier: Dossier) -> pdf.Refusal:
    if refusal_kind(dossier) != INTAKE:
        raise FormNotApplicable(_("Hồ sơ không bị từ chối tiếp nhận: không có phiếu từ chối (mẫu 03)."))
    actor = slip_selectors.last_actor(dossier, "refuse", "refuse_intake")
    decided = dossier.result_ready_at if dossier.state != State.NOT_RECEIVED else dossier.closed_at
    reasons = [line.strip() for line in dossier.decision_reason.splitlines() if line.strip()]
    return pdf.Refusal(
        issuer=_issuer_for_actor(dossier, actor),
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.REFUSAL)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        receiving_unit=_receiving_unit(dossier),
        applicant=_applicant_of(dossier),
        matter=dossier.procedure.name,
        reasons=reasons,
        receiving_officer=pdf.Signature(name=_name(actor)),
        issued_on=_local_date(decided or dossier.closed_at),
    )


# --- the competent agency's refusal ---------------------------------------------------------------

def refusal_letter(dossier: Dossier) -> pdf.RefusalLetter:
    if refusal_kind(dossier) != OUTCOME:
        raise FormNotApplicable(_("Cơ quan có thẩm quyền không từ chối giải quyết hồ sơ này."))
    step = slip_selectors.refused_step(dossier)
    agency = dossier.competent_agency
    head = slip_selectors.head_of(agency)
    reasons = [line.strip() for line in dossier.decision_reason.splitlines() if line.strip()]
    return pdf.RefusalLetter(
        issuer=_issuer(slip_selectors.center_of(dossier), name=agency.name),
        number="",  # numbered by the agency's own registry of documents
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=_applicant_of(dossier),
        matter=dossier.procedure.name,
        receiving_unit=_receiving_unit(dossier),
        received_at=dossier.received_at,
        reasons=reasons,
        head=pdf.Signature(name=_name(head.user) if head else "", title=_head_title(agency)),
        issued_on=_local_date(step.finished_at if step else dossier.result_ready_at),
    )


# --- 04 apology -----------------------------------------------------------------------------------

def apology(dossier: Dossier) -> pdf.Apology:
    if dossier.original_due_at is None or dossier.due_at is None:
        raise FormNotApplicable(_("Hồ sơ không có phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    actor = slip_selectors.last_actor(dossier, "apologise")
    officer = roles.officer_of(actor)
    issuer = _issuer_for_actor(dossier, actor)
    # Signed by the head of the agency responsible for the delay (the one that recorded the apology).
    agency = officer.agency if officer is not None else dossier.competent_agency
    head = slip_selectors.head_of(agency)
    entry_day = slip_selectors.last_event_at(dossier, "apologise")
    return pdf.Apology(
        issuer=issuer,
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.APOLOGY)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=_applicant_of(dossier),
        matter=dossier.procedure.name,
        received_at=dossier.received_at,
        original_return_at=dossier.original_due_at,
        reason=dossier.apology_reason,
        new_return_at=dossier.due_at,
        head=pdf.Signature(name=_name(head.user) if head else "", title=_head_title(agency)),
        issued_on=_local_date(entry_day),
        agency=issuer.department or issuer.name,
    )


# --- 05 stop notice -------------------------------------------------------------------------------

def stop_notice(dossier: Dossier) -> pdf.StopNotice:
    if dossier.state not in (State.STOPPED, State.WITHDRAWN):
        raise FormNotApplicable(_("Hồ sơ không bị dừng giải quyết: không có phiếu dừng."))
    actor = slip_selectors.last_actor(dossier, "stop", "withdraw")
    officer = roles.officer_of(actor)
    if officer is None:
        actor = None  # the scheduler or the applicant: an officer signs by hand
    issuer = _center_issuer(dossier)
    reason = dossier.decision_reason
    if dossier.state == State.WITHDRAWN:
        reason = _("Người nộp hồ sơ đề nghị rút hồ sơ: %(reason)s") % {"reason": reason}
    return pdf.StopNotice(
        issuer=issuer,
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.STOP)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=_applicant_of(dossier),
        matter=dossier.procedure.name,
        reason=reason,
        stopped_on=_local_date(dossier.closed_at),
        signer=pdf.Signature(name=_name(actor), title=_signer_title(officer)),
        issued_on=_local_date(dossier.closed_at),
        received_at=dossier.received_at,
        agency=_receiving_unit(dossier),
    )


# --- 06 process control sheet ---------------------------------------------------------------------

RESULT_LABELS = {deadlines.EARLY: pdf.HandOverResult.EARLY, deadlines.ON_TIME: pdf.HandOverResult.ON_TIME,
                 deadlines.LATE: pdf.HandOverResult.LATE}


def verdict(finished: dt.datetime | None, due: dt.datetime | None) -> str:
    """The form's words for `deadlines.timeliness` ("" while running)."""
    return RESULT_LABELS.get(deadlines.timeliness(finished, due), "")


def _step_unit(dossier: Dossier, step: DossierStep) -> str:
    """Steps of the center's own staff happen at the branch; the others at their agency."""
    if step.role in (RouteStep.Role.RECEPTION, RouteStep.Role.BRANCH_LEADER) and dossier.branch_id:
        return dossier.branch.name
    return step.agency.name


def _step_note(step: DossierStep) -> str:
    outcome = step.outcome if step.outcome in (DossierStep.Outcome.SENT_BACK, DossierStep.Outcome.REFUSED) else ""
    parts = (step.name, str(DossierStep.Outcome(outcome).label) if outcome else "", step.note)
    return " – ".join(part for part in parts if part)


def _hand_overs(dossier: Dossier) -> list[pdf.HandOver]:
    """Every hand-over, in time order. Each row's result is how the receiving side kept its deadline
    ("" while it is still working): a step's own deadline, a consultation's, the appointment for the return.
    """
    steps = list(selectors.steps_of(dossier))
    rows = selectors.control_sheet(dossier)  # the same steps in the same order, with their deadlines
    receiving = dossier.branch.name if dossier.branch_id else ""
    items: list[pdf.HandOver] = []
    for previous, step, row in zip([None, *steps], steps, rows, strict=False):
        if previous is None:  # the applicant hands the dossier in
            giver, giver_person = dossier.applicant_name, ""
        else:
            giver, giver_person = _step_unit(dossier, previous), _name(previous.assignee)
        items.append(pdf.HandOver(
            from_unit=giver, from_person=giver_person, to_unit=_step_unit(dossier, step),
            to_person=_name(step.assignee), handed_at=step.started_at,
            result=verdict(row["finished_at"], row["due_at"]), note=_step_note(step)))
    last = steps[-1] if steps else None
    if last is not None and last.finished_at is not None and last.outcome in (
            DossierStep.Outcome.APPROVED, DossierStep.Outcome.REFUSED):
        items.append(pdf.HandOver(
            from_unit=_step_unit(dossier, last), from_person=_name(last.assignee), to_unit=receiving,
            to_person=_name(dossier.returned_by), handed_at=last.finished_at,
            result=verdict(dossier.returned_at, dossier.due_at), note=_("Trả kết quả")))
    for consultation in slip_selectors.consultations_of(dossier):
        asking = _step_unit(dossier, consultation.step)
        items.append(pdf.HandOver(
            from_unit=asking, from_person=_name(consultation.asked_by), to_unit=consultation.agency.name,
            to_person=_name(consultation.answered_by), handed_at=consultation.asked_at,
            result=verdict(consultation.answered_at, consultation.due_at), note=_("Xin ý kiến phối hợp")))
        if consultation.answered_at is not None:
            items.append(pdf.HandOver(
                from_unit=consultation.agency.name, from_person=_name(consultation.answered_by), to_unit=asking,
                to_person=_name(consultation.asked_by), handed_at=consultation.answered_at,
                note=_("Trả lời ý kiến phối hợp")))
    if dossier.returned_at is not None:
        method = str(ReturnMethod(dossier.return_method).label) if dossier.return_method else ""
        items.append(pdf.HandOver(
            from_unit=receiving, from_person=_name(dossier.returned_by), to_unit=dossier.applicant_name,
            to_person=dossier.returned_to if dossier.returned_to != dossier.applicant_name else "",
            handed_at=dossier.returned_at,
            note=_("Đã trả kết quả: %(method)s") % {"method": method} if method else ""))
    return sorted(items, key=lambda item: item.handed_at)


def control_sheet(dossier: Dossier) -> pdf.ProcessControlSheet:
    if dossier.received_at is None:
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận: chưa có phiếu kiểm soát."))
    cooperating = []
    for consultation in slip_selectors.consultations_of(dossier):
        if consultation.agency.name not in cooperating:
            cooperating.append(consultation.agency.name)
    return pdf.ProcessControlSheet(
        issuer=_center_issuer(dossier),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        lead_agency=dossier.competent_agency.name,
        received_at=dossier.received_at,
        appointment_at=deadlines.current_appointment(dossier),
        issued_on=timezone.localdate(),
        hand_overs=_hand_overs(dossier),
        cooperating_agencies=cooperating,
        applicant_name=dossier.applicant_name,
        matter=dossier.procedure.name,
    )


# --- one dossier's form ---------------------------------------------------------------------------

_BUILDERS: dict[str, tuple[Callable, Callable]] = {
    "01": (receipt_slip, pdf.render_receipt_slip),
    "02": (supplement_request, pdf.render_supplement_request),
    "03": (refusal, pdf.render_refusal),
    "04": (apology, pdf.render_apology),
    "05": (stop_notice, pdf.render_stop_notice),
    "06": (control_sheet, pdf.render_process_control_sheet),
    "refusal": (refusal_letter, pdf.render_refusal_letter),
}


def render_form(user, code: str, form: str) -> bytes:
    """Form `form` (01-06, or "refusal": the competent agency's letter) of a dossier the user may see, as PDF bytes; the printing is audited.

    NotFound for an unknown form or a dossier the user may not see; FormNotApplicable when the
    dossier's state has no such form.
    """
    if form not in _BUILDERS:
        raise NotFound(_("Không có biểu mẫu này."), code="unknown_form")
    dossier = selectors.get_dossier(user, code)
    build, render = _BUILDERS[form]
    with translation.override("vi"):
        content = render(build(dossier))
    # Who printed which slip, and when: a slip handed out is an official act.
    audit.record_event(user, "dossier.slip_printed", "dossier", dossier.code, dossier.state, dossier.state,
                       data={"form": form, "version": dossier.version})
    return content


# --- 07 register ----------------------------------------------------------------------------------

def _parse_day(value: str | None, name: str, problems: list) -> dt.date | None:
    if not value:
        problems.append({"field": name, "code": "required", "message": _("Cần ngày (YYYY-MM-DD).")})
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append({"field": name, "code": "invalid_date",
                         "message": _("Ngày không hợp lệ, cần dạng YYYY-MM-DD.")})
        return None


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated
                and (roles.is_admin(user) or roles.has_role(user, *roles.STAFF_ROLES)))


def register(user, *, start: str | None, end: str | None, branch: str = "", agency: str = "") -> pdf.DossierRegister:
    """Form 07 for the dossiers received from `start` to `end` that the user may see (staff only)."""
    if not is_staff(user):
        raise PermissionDenied()
    problems: list = []
    first = _parse_day(start, "from", problems)
    last = _parse_day(end, "to", problems)
    if first and last and last < first:
        problems.append({"field": "to", "code": "range_reversed", "message": _("Ngày kết thúc trước ngày bắt đầu.")})
    elif first and last and (last - first).days + 1 > REGISTER_MAX_DAYS:
        problems.append({"field": "to", "code": "range_too_long",
                         "message": _("Khoảng thời gian tối đa %(days)d ngày.") % {"days": REGISTER_MAX_DAYS}})
    branch_obj = Branch.objects.filter(code=branch).first() if branch else None
    if branch and branch_obj is None:
        problems.append({"field": "branch", "code": "unknown_branch", "message": _("Không có chi nhánh này.")})
    agency_obj = Agency.objects.filter(code=agency).first() if agency else None
    if agency and agency_obj is None:
        problems.append({"field": "agency", "code": "unknown_agency", "message": _("Không có cơ quan này.")})
    if problems:
        raise ValidationFailed(details=problems)
    dossiers = list(slip_selectors.register_dossiers(user, first, last, branch=branch_obj, agency=agency_obj))
    limit = int(getattr(settings, "MOTCUA_REGISTER_MAX_ROWS", 5000))
    if len(dossiers) > limit:
        raise ValidationFailed(_("Quá nhiều hồ sơ (%(n)d, tối đa %(limit)d): hãy thu hẹp khoảng thời gian.")
                               % {"n": len(dossiers), "limit": limit}, code="register_too_large",
                               details=[{"field": "to", "code": "register_too_large"}])
    by_code = {d.code: d for d in dossiers}
    rows = selectors.register_rows(Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
                                   .order_by("received_at", "code"))
    officer = roles.officer_of(user)
    if branch_obj is None and agency_obj is None and officer is not None and officer.branch_id \
            and roles.has_role(user, roles.RECEPTION_OFFICER, roles.BRANCH_LEADER):
        branch_obj = officer.branch
    center = slip_selectors.center_of(branch=branch_obj)
    department = branch_obj.name if branch_obj else (agency_obj.name if agency_obj else "")
    with translation.override("vi"):
        return pdf.DossierRegister(
            issuer=_issuer(center, department),
            issued_on=timezone.localdate(),
            period_start=first,
            period_end=last,
            rows=[pdf.RegisterRow(
                sequence=row["number"], dossier_code=row["code"], procedure=row["procedure"],
                applicant_name=row["applicant"], address=row["address"], phone=row["phone"],
                lead_agency=row["lead_agency"], received_at=row["received_at"],
                appointment_at=row["appointment_at"] or deadlines.current_appointment(by_code[row["code"]])
                or row["received_at"],
                returned_at=row["returned_at"],
                collection_method=str(ReturnMethod(row["return_method"]).label) if row["return_method"] else "",
            ) for row in rows],
        )


def render_register(register_form: pdf.DossierRegister) -> bytes:
    with translation.override("vi"):
        return pdf.render_dossier_register(register_form)


def export_register(register_form: pdf.DossierRegister) -> bytes:
    with translation.override("vi"):
        return pdf.export_dossier_register_xlsx(register_form)
