"""Forms of the dossier pages: they only shape input; the services validate the domain rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.org.models import Agency, Person

from .models import ApplicantKind, Channel, ReturnMethod, State
from .page_selectors import commune_choices
from .services import ApplicantData, FeeDeclaration, RepresentativeData, Submission

SUPPLEMENT_ROWS = 4


class ReceptionForm(forms.Form):
    procedure = forms.CharField(label=_("Thủ tục"), max_length=40, required=False)
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), initial=Channel.COUNTER,
                                choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)])
    kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON)
    id_number = forms.CharField(label=_("Số định danh cá nhân / mã số thuế"), max_length=20, required=False)
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    gender = forms.ChoiceField(label=_("Giới tính"), required=False,
                               choices=[("", _("— (tổ chức: để trống)")), *Person.Gender.choices])
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("Thư điện tử"), max_length=254, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=250, required=False)
    # A select of the 2025 units (the choices come from the org app); intake checks the code, not the form.
    commune = forms.CharField(label=_("Xã, phường (nếu khác nơi thường trú)"), max_length=10, required=False,
                              widget=forms.Select)
    rep_name = forms.CharField(label=_("Họ tên người được ủy quyền"), max_length=200, required=False)
    rep_id_number = forms.CharField(label=_("Số định danh người được ủy quyền"), max_length=20, required=False)
    rep_phone = forms.CharField(label=_("Điện thoại người được ủy quyền"), max_length=20, required=False,
                                widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}))
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1)
    ticket = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    service_point = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].widget.choices = [("", _("— Theo CSDL dân cư —")),
                                                 *commune_choices()]

    def submission(self, shown: list[int], fees: FeeDeclaration | None = None) -> Submission:
        """What the form holds, for intake; a field the form refused counts as empty, so that intake can
        still report everything else at once."""
        data = getattr(self, "cleaned_data", {})
        text = {name: data.get(name) or "" for name in self.fields}
        representative = None
        if text["rep_name"] or text["rep_id_number"]:
            representative = RepresentativeData(name=text["rep_name"], id_number=text["rep_id_number"],
                                                phone=text["rep_phone"])
        return Submission(
            procedure=text["procedure"], channel=data.get("channel") or Channel.COUNTER,
            representative=representative, shown=shown, sets=data.get("sets") or 1, fees=fees,
            service_point=text["service_point"],
            applicant=ApplicantData(kind=data.get("kind") or ApplicantKind.PERSON, id_number=text["id_number"],
                                    name=text["name"], birth_date=data.get("birth_date"), gender=text["gender"],
                                    phone=text["phone"], email=text["email"], address=text["address"],
                                    commune=text["commune"]))


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Trạng thái"), required=False,
                              choices=[("", _("Tất cả"))] + [c for c in State.choices
                                                             if c[0] not in ("not_received", "returned",
                                                                             "withdrawn", "stopped")])
    q = forms.CharField(label=_("Tìm theo mã hồ sơ, tên hoặc số định danh người nộp"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False)
    due = forms.ChoiceField(label=_("Thời hạn"), required=False, choices=[
        ("", _("Tất cả")), ("overdue", _("Quá hạn")), ("near", _("Sắp đến hạn"))])
    mine = forms.BooleanField(label=_("Hồ sơ tôi đang thụ lý"), required=False)
    overdue = forms.BooleanField(label=_("Quá hạn trả kết quả"), required=False)

    def __init__(self, *args, procedures=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Tất cả"))] + list(procedures)
        self.fields["agency"].choices = [("", _("Tất cả"))] + list(agencies)


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    key = forms.CharField(label=_("Mã tra cứu"), max_length=24,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                        "spellcheck": "false"}))


# --- actions on the dossier page --------------------------------------------------------------------

class VersionForm(forms.Form):
    """An action's form: the version the officer saw, and the action's own fields."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)

    def action_data(self) -> dict:
        """The cleaned fields as the action registry takes them (agencies by code)."""
        return {name: value.code if isinstance(value, Agency) else value for name, value in self.cleaned_data.items()}


class NoteForm(VersionForm):
    note = forms.CharField(label=_("Ghi chú"), max_length=4000, required=False, widget=forms.Textarea({"rows": 2}))


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Lý do"), max_length=4000, widget=forms.Textarea({"rows": 3}))


class RefuseForm(VersionForm):
    reason = forms.CharField(label=_("Căn cứ pháp lý và lý do từ chối"), max_length=4000,
                             widget=forms.Textarea({"rows": 3}))


class ConsultForm(VersionForm):
    agency = forms.ModelChoiceField(label=_("Cơ quan được hỏi ý kiến"), to_field_name="code",
                                    queryset=Agency.objects.filter(is_active=True).order_by("name"))
    question = forms.CharField(label=_("Nội dung xin ý kiến"), max_length=4000, widget=forms.Textarea({"rows": 3}))
    hours = forms.DecimalField(label=_("Thời hạn trả lời (giờ làm việc)"), min_value=1, max_value=240, initial=8)


class ReassignForm(VersionForm):
    agency = forms.ModelChoiceField(label=_("Cơ quan giải quyết mới"), to_field_name="code",
                                    queryset=Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.CENTER)
                                    .order_by("name"))
    reason = forms.CharField(label=_("Lý do chuyển"), max_length=4000, widget=forms.Textarea({"rows": 3}))


class AnswerForm(VersionForm):
    consultation = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Ý kiến trả lời"), max_length=4000, widget=forms.Textarea({"rows": 3}))


class SupplementForm(VersionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(SUPPLEMENT_ROWS):
            self.fields[f"item_{n}_name"] = forms.CharField(label=_("Nội dung cần bổ sung %(n)s") % {"n": n + 1},
                                                            max_length=500, required=n == 0)
            self.fields[f"item_{n}_reason"] = forms.CharField(label=_("Lý do %(n)s") % {"n": n + 1},
                                                              max_length=1000, required=n == 0)

    def rows(self):
        return [(self[f"item_{n}_name"], self[f"item_{n}_reason"]) for n in range(SUPPLEMENT_ROWS)]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [{"name": data[f"item_{n}_name"], "reason": data[f"item_{n}_reason"]} for n in range(SUPPLEMENT_ROWS)
                if data.get(f"item_{n}_name") or data.get(f"item_{n}_reason")]

    def action_data(self) -> dict:
        return {"version": self.cleaned_data["version"], "items": self.items()}


class ResultForm(VersionForm):
    result = forms.FileField(label=_("Tệp kết quả (PDF, JPEG, PNG)"))


class ReturnForm(VersionForm):
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnMethod.choices)
    received_by_name = forms.CharField(label=_("Người nhận kết quả"), max_length=200, required=False)


class ApologiseForm(VersionForm):
    new_due_at = forms.DateTimeField(label=_("Ngày hẹn mới"), input_formats=["%Y-%m-%dT%H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    reason = forms.CharField(label=_("Lý do chậm"), max_length=4000, widget=forms.Textarea({"rows": 3}))

    def clean_new_due_at(self) -> dt.datetime:
        value = self.cleaned_data["new_due_at"]
        return value if timezone.is_aware(value) else timezone.make_aware(value)


class SupplyForm(VersionForm):
    """One file field per document of the procedure's checklist (those the citizen can hand in)."""

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        documents = dossier.procedure.documents.exclude(kind="shown").order_by("position") if dossier else []
        for document in documents:
            self.fields[f"document_{document.position}"] = forms.FileField(
                label=f"{document.position}. {document.name}", required=False)

    def action_data(self) -> dict:
        files = {int(name.removeprefix("document_")): [value] for name, value in self.cleaned_data.items()
                 if name.startswith("document_") and value}
        return {"version": self.cleaned_data["version"], "files": files}


class StopForm(VersionForm):
    reason = forms.CharField(label=_("Ghi chú (không bắt buộc)"), max_length=4000, required=False,
                             widget=forms.Textarea({"rows": 2}))


class OnlineSubmissionForm(forms.Form):
    """A citizen's own online dossier: the applicant is the logged-in person (ID number from the account)."""

    procedure = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), max_length=254, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=250, required=False)
    rep_name = forms.CharField(label=_("Họ tên người được ủy quyền"), max_length=200, required=False)
    rep_id_number = forms.CharField(label=_("Số định danh người được ủy quyền"), max_length=20, required=False)
    rep_phone = forms.CharField(label=_("Điện thoại người được ủy quyền"), max_length=20, required=False)

    def submission(self, person, fees: FeeDeclaration | None = None) -> Submission:
        """What the form holds (a field it refused counts as empty), for intake."""
        data = getattr(self, "cleaned_data", {})
        text = {name: data.get(name) or "" for name in self.fields}
        representative = None
        if text["rep_name"] or text["rep_id_number"]:
            representative = RepresentativeData(name=text["rep_name"], id_number=text["rep_id_number"],
                                                phone=text["rep_phone"])
        return Submission(
            procedure=text["procedure"], channel=Channel.ONLINE, representative=representative, fees=fees,
            applicant=ApplicantData(kind=ApplicantKind.PERSON, id_number=person.national_id, name=text["name"],
                                    birth_date=person.birth_date, gender=person.gender, phone=text["phone"],
                                    email=text["email"], address=text["address"]))


def _counts(post, prefix: str, limit: int) -> dict[int, int]:
    found = {}
    for key, value in post.items():
        position, text = key[len(prefix):], str(value).strip().replace(".", "")
        if key.startswith(prefix) and position.isdigit() and text:
            found[int(position)] = min(int(text), limit) if text.isdigit() else -1  # -1: intake says invalid
    return found


def fee_declaration(post) -> FeeDeclaration | None:
    """The fee declaration fields of an intake form (`_fees.html`); None when nothing was declared."""
    declared = FeeDeclaration(units=_counts(post, "fee_units.", 100_000), values=_counts(post, "fee_value.", 10**15),
                              exemptions=post.getlist("fee_claim")[:10],
                              evidence_seen=post.get("fee_evidence_seen") == "on")
    return declared if declared.units or declared.values or declared.exemptions else None


def page_problems(form: forms.Form, error: DomainError | None,
                  skip: tuple[str, ...] = ()) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """Everything wrong with a submit, at once: the form's field errors and intake's problems.

    Intake's problems on a form field join that field's errors; the list for the top of the page has
    each problem once, with the id of the field or document to jump to (`target`).
    """
    by_field, _all = problems_by_field(error) if error is not None else ({}, [])
    for key, messages in by_field.items():
        if key in form.fields and key not in skip:
            for message in messages:
                if message not in form.errors.get(key, []):
                    form.add_error(key, message)
    problems: list[dict[str, str]] = []
    for name in form.fields:
        bound = form[name]
        for message in form.errors.get(name, []):
            shown = not bound.is_hidden and bound.label
            problems.append({"text": f"{bound.label}: {message}" if shown else str(message),
                             "target": bound.auto_id if shown else ""})
    for key, messages in by_field.items():
        if key in form.fields and key not in skip:
            continue
        target = f"doc-{key.split('.', 1)[1]}" if key.startswith("document.") else ""
        problems.extend({"text": message, "target": target} for message in messages)
    if error is not None and not problems:
        problems.append({"text": str(error.message), "target": ""})
    return by_field, problems


def problems_by_field(exc: DomainError) -> tuple[dict[str, list[str]], list[str]]:
    """Split the service's problem list: per form field / document position, and the rest."""
    by_field: dict[str, list[str]] = {}
    others: list[str] = []
    for problem in exc.details if isinstance(exc.details, list) else []:
        message = problem.get("message") or str(exc.message)
        name = problem.get("field", "")
        key = name.split(".", 1)[-1] if name.startswith(("applicant.", "representative.")) else name
        if name.startswith("representative."):
            key = "rep_" + key
        by_field.setdefault(key, []).append(message)
        others.append(message)
    return by_field, others
