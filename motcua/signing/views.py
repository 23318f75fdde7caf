"""Public pages: /verify/ (upload a PDF) and /verify/<id>/ (what a signed document's QR opens), and the CRL."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import DomainError

from . import ca, selectors, verification
from .api import MAX_BYTES, VERIFY_RATE

FORM_TITLES = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Phiếu dừng giải quyết hồ sơ"),
    "refusal": gettext_lazy("Văn bản từ chối giải quyết hồ sơ"),
    "result": gettext_lazy("Kết quả giải quyết thủ tục hành chính"),
}


def verify_page(request):
    """Upload a PDF and see its signatures checked (no login)."""
    context: dict = {"max_mb": MAX_BYTES // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            ratelimit.enforce("signature_verify", client_address(request), VERIFY_RATE)
            if upload is None:
                context["problem"] = _("Hãy chọn một tệp PDF.")
                status = 422
            elif upload.size > MAX_BYTES:
                context["problem"] = _("Tệp quá lớn.")
                status = 422
            else:
                context["report"] = verification.verify_pdf(upload.read())
                context["file_name"] = upload.name[:120]
        except DomainError as exc:
            context["problem"] = exc.message
            status = exc.status
    return render(request, "signing/verify.html", context, status=status)


def document_page(request, public_id: str):
    """A signed document's verification page: the stored file checked now, its hash, who signed."""
    document = selectors.by_public_id(public_id)
    if document is None:
        raise Http404
    content = selectors.read_signed(document)
    report = verification.verify_pdf(content) if content is not None else None
    return render(request, "signing/verify.html", {
        "document": document, "report": report, "form_title": FORM_TITLES.get(document.form, document.form),
        "max_mb": MAX_BYTES // (1024 * 1024)})


def crl(request):
    """The demo CA's revocation list (DER), as named in its certificates."""
    path = ca.crl_path()
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/pkix-crl")
    response["Cache-Control"] = f"max-age={int(getattr(settings, 'MOTCUA_SIGNING_CRL_MAX_AGE', 300))}"
    return response


def result_download(request, code: str):
    """The citizen's signed result: the dossier code and its tracking key (as on the tracking page)."""
    from motcua.dossiers import selectors as dossier_selectors
    from motcua.dossiers.api import count_tracking_attempt

    code = code[:40].strip()
    try:
        count_tracking_attempt(request, code)
        dossier_selectors.tracking(code, request.GET.get("key", "")[:40])
    except DomainError as exc:
        if exc.status == 429:
            return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
        raise Http404 from exc
    document = selectors.released_result(code)
    content = selectors.read_signed(document) if document is not None else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.dossier.code}-ket-qua.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _batch_page(view):
    """Login, then the approval role (the batch is the branch leader's): a 403 page for anyone else."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    from motcua.dossiers import page_selectors

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not page_selectors.may_approve(request.user):
            return render(request, "dossiers/forbidden.html",
                          {"message": _("Chỉ lãnh đạo chi nhánh ký duyệt hồ sơ theo lô.")}, status=403)
        return view(request, *args, **kwargs)
    return wrapper


@_batch_page
def batch_page(request):
    """Ký số theo lô: choose dossiers waiting for approval (or all of today's) and sign them in one action."""
    from django.shortcuts import redirect

    from . import services

    problem, status = "", 200
    if request.method == "POST":
        try:
            batch = services.start_batch(request.user, request.POST.getlist("code"),
                                         today=request.POST.get("scope") == "today",
                                         note=request.POST.get("note", "")[:1000])
        except DomainError as exc:
            problem, status = str(exc.message), 422
        else:
            return redirect("signing:batch-detail", batch.pk)
    return render(request, "signing/batch.html", {
        "dossiers": services.batch_candidates(request.user).select_related("procedure", "competent_agency")[:200],
        "batches": selectors.batches_of(request.user), "problem": problem}, status=status)


@_batch_page
def batch_detail(request, batch_id: int):
    """The batch's progress; the page asks again every second (HTMX) until every dossier is done."""
    progress = selectors.batch_progress(batch_id, request.user)
    if progress is None:
        raise Http404
    template = "signing/batch_detail.html#progress" if request.headers.get("HX-Request") else \
        "signing/batch_detail.html"
    return render(request, template, progress)
