"""The officers' inbox and the leaders' approvals."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError, PermissionDenied

from .. import page_selectors as pages
from .. import services
from ..forms import InboxFilterForm
from .common import _template, staff_page


@staff_page("inbox")
def inbox(request):
    procedures, agencies = pages.inbox_choices(request.user)
    form = InboxFilterForm(request.GET or None, procedures=procedures, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = pages.inbox_rows(request.user, **{key: filters.get(key) or default for key, default in (
        ("state", ""), ("mine", False), ("overdue", False), ("q", ""), ("procedure", ""), ("agency", ""),
        ("due", ""))})
    return render(request, _template(request, "inbox", "rows"), {
        "form": form, "rows": rows, "query": request.GET.urlencode(),
        "may_receive": pages.may_receive(request.user), "may_approve": pages.may_approve(request.user)})


@staff_page("approve")
def approvals(request):
    """The branch leader's list; approve one or several through the approve service, each on its own."""
    if request.method == "POST":
        if not pages.may_approve(request.user):  # the director's view is read only
            return render(request, "dossiers/forbidden.html", {"message": PermissionDenied().message}, status=403)
        codes = request.POST.getlist("code")
        if not codes:
            messages.error(request, _("Chưa chọn hồ sơ nào."))
        for code in codes[:100]:
            version = request.POST.get(f"version-{code}", "")
            try:
                services.approve(request.user, code, note=request.POST.get("note", "")[:4000],
                                 version=int(version) if version.isdigit() else None)
            except DomainError as exc:
                messages.error(request, f"{code}: {exc.message}")
            else:
                messages.success(request, _("Đã phê duyệt hồ sơ %(code)s.") % {"code": code})
        return redirect("dossier-approvals")
    return render(request, _template(request, "approvals", "rows"), {"dossiers": pages.approval_queue(request.user),
                                                       "may_approve": pages.may_approve(request.user)})
