"""Forms of the citizen's pages: they only shape input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PaperKind
from .services.wallet import PaperData

# --- wallet ---------------------------------------------------------------------------------------


class PaperForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại giấy tờ"),
        choices=[(value, label) for value, label in PaperKind.choices if value != PaperKind.RESULT],
    )
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=300)
    number = forms.CharField(
        label=_("Số giấy tờ"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=200, required=False)
    issued_on = forms.DateField(
        label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Ngày hết hạn (nếu có)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def paper(self) -> PaperData:
        data = getattr(self, "cleaned_data", {})
        return PaperData(
            kind=data.get("kind") or "",
            title=data.get("title") or "",
            number=data.get("number") or "",
            issuer=data.get("issuer") or "",
            issued_on=data.get("issued_on"),
            expires_on=data.get("expires_on"),
        )


# --- accounts ---------------------------------------------------------------------------------------

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Mã xác nhận (6 chữ số)"),
            max_length=6,
            min_length=6,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
            ),
            **kwargs,
        )


class SignUpForm(forms.Form):
    code = CodeField()
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    national_id = forms.CharField(
        label=_("Số định danh cá nhân (12 chữ số)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"autocomplete": "bday", "placeholder": "dd/mm/yyyy"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ResetForm(forms.Form):
    code = CodeField()
    password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
