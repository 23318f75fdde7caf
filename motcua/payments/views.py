"""Payment pages: the gateway's IPN and return, the public receipt check, the fee counter."""

from __future__ import annotations

import datetime as dt

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.selectors import fee_rules
from motcua.core import roles
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, NotFound, page_status
from motcua.core.money import format_vnd
from motcua.integrations.payment_gateway import InvalidSignature, MalformedNotification, get_gateway, vietqr
from motcua.integrations.payment_gateway.vnpay import CUSTOMER_CANCELLED, TIMED_OUT, ipn_body

from . import policies, selectors, services
from .models import Payment, ReceiptSeries
from .services import reconciliation as reconciliation_exports


def _vnp_params(request) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k.startswith("vnp_")}


@require_GET
def vnpay_ipn(request):
    """VNPay's server-to-server notification: it decides; the answer is VNPay's JSON, always 200."""
    result = services.handle_gateway_notification(_vnp_params(request))
    return JsonResponse(ipn_body(result.answer))


@require_GET
def vnpay_return(request):
    """Where the payer's browser comes back: shows the result, decides nothing (the IPN does)."""
    outcome, payment = "invalid", None
    try:
        note = get_gateway().read(_vnp_params(request))
    except (InvalidSignature, MalformedNotification):
        note = None
    if note is not None:
        payment = (Payment.objects.select_related("invoice__dossier").filter(reference=note.reference).first())
        if payment is None:
            outcome = "invalid"
        elif payment.status == Payment.Status.SUCCEEDED:
            outcome = "paid"
        elif note.succeeded:
            outcome = "waiting"  # the bank says yes; the IPN has not arrived yet
        elif note.response_code == CUSTOMER_CANCELLED:
            outcome = "cancelled"
        elif note.response_code == TIMED_OUT:
            outcome = "timeout"
        else:
            outcome = "failed"
    status = 400 if outcome == "invalid" else 200
    return render(request, "payments/return.html", {"outcome": outcome, "payment": payment}, status=status)


@require_GET
def check_receipt(request, key: str):
    """The public authenticity check a receipt's QR code opens: number, series, amount, status (no name)."""
    receipt = selectors.receipt_by_check_key(key)
    return render(request, "payments/check.html", {"receipt": receipt}, status=200 if receipt else 404)


# --- the applicant's (and the handler's) page of a dossier's fees --------------------------------------

@require_http_methods(["GET", "POST"])
def dossier_fees(request, code: str):
    """The fees of a dossier, its receipts, and the button that starts paying online."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            started = services.start_online_payment(
                request.user, code, return_url=request.build_absolute_uri(reverse("payments-vnpay-return")),
                client_ip=client_address(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("payments-dossier", code=code)
        return HttpResponseRedirect(started.payment_url)
    try:
        invoices = selectors.invoices_of(request.user, code)
    except DomainError:
        raise Http404 from None
    payable = any(invoice.status == "open" and policies.can(request.user, "pay_online", invoice)
                  for invoice in invoices)
    citizen = roles.has_role(request.user, roles.CITIZEN)
    back = reverse("dossier-mine") if citizen else reverse("dossier-detail", args=[code])
    return render(request, "payments/dossier.html", {"code": code, "invoices": invoices, "payable": payable,
                                                     "back": back})


# --- the fee counter ------------------------------------------------------------------------------------

def _vietqr(invoice) -> str:
    """The VietQR transfer of the invoice's amount, with its reference in the message (an SVG data URI)."""
    if not (settings.MOTCUA_VIETQR_BANK_BIN and settings.MOTCUA_VIETQR_ACCOUNT):
        return ""
    text = vietqr.payload(bank_bin=settings.MOTCUA_VIETQR_BANK_BIN, account=settings.MOTCUA_VIETQR_ACCOUNT,
                          amount=invoice.amount, message=invoice.reference)
    return segno.make(text, error="m").svg_data_uri(scale=3)


@require_http_methods(["GET", "POST"])
def fee_counter(request):
    """The fee-collection officer's page: the branch's open invoices, collecting one, today's receipts."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    branch = policies.fee_branch_of(request.user)
    if branch is None:
        return render(request, "payments/forbidden.html", status=403)
    if request.method == "POST" and request.POST.get("action") == "reassess":
        try:
            codes_claimed = request.POST.getlist("claim")
            invoice = services.apply_exemptions(
                request.user, request.POST.get("invoice", ""),
                claims={code: f"evidence-{code}" in request.POST for code in codes_claimed},
                units={int(key.split("-", 1)[1]): _int(value) for key, value in request.POST.items()
                       if key.startswith("units-") and key.split("-", 1)[1].isdigit() and value.strip()})
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã tính lại: phải nộp %(amount)s.") % {"amount": format_vnd(invoice.amount)})
        return redirect("payments-counter")
    if request.method == "POST":
        try:
            receipt = services.record_counter_payment(
                request.user, request.POST.get("invoice", ""), method=request.POST.get("method", ""),
                amount=_int(request.POST.get("amount")))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã thu %(amount)s. Biên lai số %(number)s.")
                             % {"amount": format_vnd(receipt.amount), "number": selectors.receipt_label(receipt)})
        return redirect("payments-counter")
    q = request.GET.get("q", "")[:60]
    invoices = selectors.open_invoices_at(branch, q=q)
    rows = [{"invoice": invoice, "qr": _vietqr(invoice), "rules": _declared(invoice)} for invoice in invoices]
    collected = selectors.collected_on(branch, timezone.localdate())
    return render(request, "payments/counter.html", {
        "branch": branch, "rows": rows, "q": q, "collected": collected,
        "total": sum(p.amount for p in collected), "methods": Payment.Method.choices[:3],
        "may_collect": policies.can(request.user, "collect", branch)})


def _declared(invoice) -> list[dict]:
    """The procedure's fee rules, each with what the applicant declared at intake (units, exemptions
    claimed, applied or waiting for the evidence to be seen here)."""
    declaration = invoice.dossier.fee_declaration or {}
    units = declaration.get("units") or {}
    claimed = set(declaration.get("to_verify") or ()) | set(invoice.claims or {})
    return [{"rule": rule, "units": units.get(str(rule.position), ""),
             "exemptions": [{"exemption": e, "claimed": e.code in claimed,
                             "seen": bool((invoice.claims or {}).get(e.code))} for e in rule.exemptions]}
            for rule in fee_rules(invoice.dossier.procedure)]


def _int(value) -> int:
    try:
        return int(str(value).replace(".", "").replace(" ", ""))
    except (TypeError, ValueError):
        return -1


# --- the day's reconciliation ---------------------------------------------------------------------------

def _day(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return timezone.localdate()


@require_http_methods(["GET", "POST"])
def reconciliation(request):
    """The branch's collection of a day per channel, counter and officer; the leader signs it; CSV/XLSX."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    branch = policies.fee_branch_of(request.user)
    if branch is None:
        return render(request, "payments/forbidden.html", status=403)
    day = _day(request.POST.get("day") or request.GET.get("day", ""))
    gateway_check = None
    if request.method == "POST" and request.POST.get("action") == "check_gateway":
        try:
            gateway_check = services.check_day_with_gateway(request.user, branch, day)
        except DomainError as exc:
            messages.error(request, exc.message)
    elif request.method == "POST":
        try:
            services.sign_off_day(request.user, branch, day)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ký xác nhận số liệu ngày %(day)s.") % {"day": f"{day:%d/%m/%Y}"})
        return redirect(f"{reverse('payments-reconciliation')}?day={day:%Y-%m-%d}")
    figures = services.reconcile(branch, day)
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        content = reconciliation_exports.export_csv(figures) if export == "csv" else \
            reconciliation_exports.export_xlsx(figures)
        kind = "text/csv; charset=utf-8" if export == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="doi-soat-{branch.code}-{day:%Y-%m-%d}.{export}"'
        return response
    return render(request, "payments/reconciliation.html", {
        "branch": branch, "day": day, "figures": figures,
        "lines": [(dict(Payment.Method.choices).get(line.channel, line.channel), line) for line in figures.lines],
        "may_sign": policies.can(request.user, "sign_off", branch) and not figures.signed_by,
        "may_check_gateway": policies.can(request.user, "check_gateway", branch), "gateway_check": gateway_check})


def refunds(request):
    """Refunds at the branch: the fee staff ask for one against a receipt, the branch leader approves."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    branch = policies.fee_branch_of(request.user)
    if branch is None:
        return render(request, "payments/forbidden.html", status=403)
    form = {"series": "", "number": "", "amount": "", "reason": ""}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                refund_id = request.POST.get("refund", "")
                refund = services.approve_refund(request.user, int(refund_id) if refund_id.isdigit() else 0)
                messages.success(request, _("Đã phê duyệt hoàn trả %(amount)s.") % {"amount": format_vnd(refund.amount)})
                return redirect("payments-refunds")
            form = {key: request.POST.get(key, "").strip()[:4000] for key in form}
            number, amount = form["number"], form["amount"].replace(".", "")
            receipt = selectors.receipt_at(branch, form["series"], int(number)) if number.isdigit() else None
            if receipt is None:
                raise NotFound(_("Không có biên lai này tại chi nhánh."), code="receipt_not_found")
            services.request_refund(request.user, receipt.pk, amount=int(amount) if amount.isdigit() else 0,
                                    reason=form["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
            status = page_status(exc)
        else:
            messages.success(request, _("Đã gửi đề nghị hoàn trả; chờ lãnh đạo chi nhánh phê duyệt."))
            return redirect("payments-refunds")
    waiting, approved = selectors.refunds_at(branch)
    return render(request, "payments/refunds.html", {
        "branch": branch, "waiting": waiting, "approved": approved, "form": form,
        "series": ReceiptSeries.objects.filter(branch=branch).order_by("-year"),
        "may_approve": policies.can(request.user, "approve_refund", branch),
        "may_request": policies.can(request.user, "request_refund", branch)}, status=status)
