"""The citizen's inbox `/me/notifications/` (with the channels they choose), and the providers' delivery
reports (`/notify/callbacks/<provider>`), each checked with that provider's signature."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.integrations.sms import reports as sms_reports
from motcua.integrations.zalo import webhook as zalo_webhook

from . import selectors, services
from .models import Channel, Kind
from .services.preferences import CHOOSABLE


def _preference_context(user) -> dict:
    preference = selectors.preference_of(user)
    chosen = selectors.chosen_channels(preference)
    return {"kinds": [(kind, label, chosen[kind]) for kind, label in Kind.choices],
            "choosable": [(c, Channel(c).label) for c in CHOOSABLE], "language": preference.language,
            "language_choices": [(code, str(name)) for code, name in settings.LANGUAGES]}


@login_required
def inbox(request):
    """The person's messages with each channel's delivery status; the form to choose channels per kind."""
    error = None
    if request.method == "POST":
        channels = {kind: request.POST.getlist(f"channels-{kind}") for kind in Kind.values}
        try:
            services.set_preferences(request.user, channels, request.POST.get("language", "vi")[:8])
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(reverse("notify-inbox") + "?saved=1")
    items = selectors.inbox(request.user)
    unread = {item.message.pk for item in items if item.message.read_at is None}
    selectors.mark_read(request.user)
    return render(request, "notify/inbox.html", {"items": items, "unread": unread, "error": error,
                                                 "saved": request.GET.get("saved") == "1",
                                                 **_preference_context(request.user)},
                  status=422 if error else 200)


@csrf_exempt  # machine to machine: the signature stands in for the cookie
@require_POST
def sms_report(request):
    """The SMS gateway's delivery report, signed with MOTCUA_SMS_CALLBACK_SECRET."""
    secret = getattr(settings, "MOTCUA_SMS_CALLBACK_SECRET", "")
    if not sms_reports.verify_signature(request.headers.get("X-Signature", ""), request.body, secret):
        return JsonResponse({"code": "bad_signature", "message": _("Chữ ký không hợp lệ.")}, status=403)
    report = sms_reports.parse_report(request.body)
    if report is None:
        return JsonResponse({"code": "invalid", "message": _("Báo cáo không hợp lệ.")}, status=400)
    changed = services.record_report(Channel.SMS, report.message_id, report.status, report.error)
    return JsonResponse({"applied": changed})


@csrf_exempt
@require_POST
def zalo_event(request):
    """Zalo's `user_received_message` events for ZNS messages, signed with the OA's secret key."""
    secret = getattr(settings, "MOTCUA_ZALO_OA_SECRET", "")
    if not zalo_webhook.verify_signature(request.headers.get("X-ZEvent-Signature", ""), request.body, secret):
        return JsonResponse({"code": "bad_signature", "message": _("Chữ ký không hợp lệ.")}, status=403)
    event = zalo_webhook.parse_delivery(request.body)
    if event is None:
        return HttpResponse(status=200)  # another event: nothing for notify
    return JsonResponse({"applied": services.record_report(Channel.ZALO, event, "delivered")})
