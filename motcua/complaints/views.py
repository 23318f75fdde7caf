"""Complaint pages: the published answers, filing, the author's view and rating, the staff's inbox."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit, uploads
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, page_status

from . import policies, selectors, services
from .models import MAX_ATTACHMENTS, Complaint

FIELDS = ("subject", "content", "name", "phone", "email", "about")


def published_list(request):
    q = request.GET.get("q", "")[:100]
    return render(request, "complaints/list.html", {"items": selectors.published(q), "q": q})


def published_detail(request, code: str):
    complaint = selectors.get_published(code)
    if complaint is None:
        raise Http404
    return render(request, "complaints/detail.html", {"complaint": complaint})


@require_http_methods(["GET", "POST"])
def new(request):
    values = {field: request.POST.get(field, "") for field in FIELDS} if request.method == "POST" else \
        {"about": request.GET.get("about", "")[:60]}
    error, field, status = None, None, 200
    if request.method == "POST":
        try:
            ratelimit.enforce("complaint", client_address(request), settings.MOTCUA_COMPLAINT_RATE)
            complaint = services.file_complaint(**values, publish=request.POST.get("publish") == "on",
                                                channel=Complaint.Channel.WEB, files=request.FILES.getlist("files"))
        except DomainError as exc:
            error, status = exc.message, page_status(exc)
            field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        else:
            return render(request, "complaints/filed.html", {"complaint": complaint}, status=201)
    return render(request, "complaints/new.html", {"values": values, "error": error, "error_field": field,
                                                    "max_files": MAX_ATTACHMENTS,
                                                    "max_bytes": uploads.max_upload_bytes(),
                                                    "publish": request.method == "GET" or
                                                    request.POST.get("publish") == "on"}, status=status)


@require_http_methods(["GET", "POST"])
def track(request):
    """The author's view: code and tracking key; the approved answer and its rating."""
    code = (request.POST.get("code") or request.GET.get("code", ""))[:30]
    key = (request.POST.get("key") or request.GET.get("key", ""))[:20]
    complaint, error, status = None, None, 200
    if code and key:
        try:
            ratelimit.enforce("complaint_track", client_address(request), settings.MOTCUA_TRACKING_RATE)
            complaint = services.find_for_author(code, key)
            if request.method == "POST" and "score" in request.POST:
                complaint = services.rate_answer(code, key, request.POST["score"])
        except DomainError as exc:
            error, status = exc.message, page_status(exc, 200)
    return render(request, "complaints/track.html", {"complaint": complaint, "code": code, "key": key,
                                                      "error": error}, status=status)


@login_required
def inbox(request):
    return render(request, "complaints/inbox.html", {"items": selectors.inbox(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def handle(request, code: str):
    complaint = selectors.get_for_staff(request.user, code)
    if complaint is None:
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.approve_answer(request.user, complaint)
            else:
                services.answer_complaint(request.user, complaint, request.POST.get("answer", ""))
        except DomainError as exc:
            error, status = exc.message, page_status(exc)
        else:
            return redirect(reverse("complaint-handle", args=[code]))
        complaint.refresh_from_db()
    return render(request, "complaints/handle.html", {
        "complaint": complaint, "error": error, "can_answer": policies.can(request.user, "answer", complaint),
        "can_approve": policies.can(request.user, "approve", complaint)}, status=status)


@login_required
def attachment(request, code: str, attachment_id: int):
    """An attachment, for the staff handling the complaint only (404 for anyone else)."""
    complaint = selectors.get_for_staff(request.user, code)
    if complaint is None:
        raise Http404
    try:
        handle, item = services.open_attachment(request.user, complaint, attachment_id)
    except DomainError as exc:
        raise Http404 from exc
    return uploads.document_response(handle, item.filename, item.content_type)
