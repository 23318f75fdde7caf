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
