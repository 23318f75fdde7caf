"""Queue pages: the kiosk and the printed slip, the counter console (HTMX) and the hall's display board."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import Conflict, DomainError, PermissionDenied, page_status
from motcua.org.models import Counter, ServiceGroup

from . import announce, pairing, selectors, services
from .models import Device, Lane, Ticket
from .services import devices as device_services

CONSOLE_ACTIONS = {"call-next", "recall", "start", "finish", "no-show", "transfer", "confirm", "pause", "resume"}


def _point_or_404(point_id: int):
    point = selectors.get_point(point_id)
    if point is None:
        raise Http404
    return point


def kiosk_access(request, point):
    """(desk, device): an officer of the branch is the reception desk; otherwise a paired kiosk, or neither."""
    desk = services.can_operate(request.user, point)
    return desk, pairing.paired_device(request, kind=Device.Kind.KIOSK, service_point=point)


def unpaired_kiosk(request, point):
    """The answer to a browser that is neither a paired kiosk of `point` nor an officer of its branch."""
    return render(request, "queueing/kiosk_unpaired.html", {"point": point}, status=403)


def limit_ticket_issue(request, device) -> None:
    """The limits of every ticket asked for on a kiosk page: per client address, and per paired kiosk.

    The same scopes as the API's throttles, so a client cannot double its share by using both.
    """
    ratelimit.enforce("ticket_issue", client_address(request), settings.MOTCUA_TICKET_RATE)
    if device is not None:
        ratelimit.enforce("ticket_issue_device", str(device.pk), settings.MOTCUA_TICKET_DEVICE_RATE)


def kiosk(request, point_id: int):
    """Touch screen in the hall: choose a group, enter the ID or a phone number, declare a priority, print."""
    point = _point_or_404(point_id)
    # An officer of the branch signed in on this page is the reception desk: declared priority is confirmed.
    desk, device = kiosk_access(request, point)
    if not (desk or device):
        return unpaired_kiosk(request, point)
    error, values = None, {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in ("group", "national_id", "phone", "priority",
                                                                     "lane")}
        group = ServiceGroup.objects.filter(pk=values["group"] if values["group"].isdigit() else None,
                                            center_id=point.branch.center_id).first()
        try:
            limit_ticket_issue(request, device)
            if group is None:
                raise DomainError(_("Vui lòng chọn lĩnh vực cần giải quyết."), code="group_required")
            ticket = services.issue_ticket(
                service_point=point, group=group, national_id=values["national_id"], phone=values["phone"],
                priority=values["priority"], lane=values["lane"] or Lane.IN_PERSON,
                source=Ticket.Source.RECEPTION if desk else Ticket.Source.KIOSK, user=request.user if desk else None,
                device=f"kiosk-{device.pk}" if device else "")
        except DomainError as exc:
            error = exc
        else:
            return redirect("queue-slip", token=ticket.token)
    return render(request, "queueing/kiosk.html", {
        "point": point, "statuses": selectors.group_statuses(point), "priorities": Ticket.Priority.choices[1:],
        "lanes": Lane.choices, "error": error, "values": values, "config": selectors.config_for(point), "desk": desk,
        "device": device, "pairing": {"kind": Device.Kind.KIOSK, "target": point.pk},
    }, status=page_status(error, default=200) if error else 200)


# --- pairing a device (kiosk or rating tablet) ---------------------------------------------------------


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def device_pair(request):
    """An officer of the branch pairs the browser in front of them as a kiosk or a counter's tablet."""
    kind, target = request.POST.get("kind", ""), request.POST.get("target", "")
    if kind not in Device.Kind.values or not target.isdigit():
        raise Http404
    point = counter = None
    if kind == Device.Kind.KIOSK:
        point = selectors.get_point(int(target))
    else:
        counter = selectors.get_counter(int(target))
        point = counter.service_point if counter else None
    if point is None:
        raise Http404
    try:
        paired = device_services.pair_device(user=request.user, kind=kind, service_point=point, counter=counter,
                                             name=request.POST.get("name", ""),
                                             replaces=pairing.browser_device(request))
    except DomainError as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=exc.status)
    return pairing.remember_device(redirect(pairing.device_page(paired.device)), request, paired.key)


@require_http_methods(["GET", "POST"])
def device_pair_with_key(request):
    """Pair this browser with a device registered elsewhere (the demo prints such keys): type or paste the key."""
    error, key = None, request.GET.get("key", "")
    if request.method == "POST":
        key = request.POST.get("key", "").strip()
        try:
            ratelimit.enforce("device_pair", client_address(request), settings.MOTCUA_LOGIN_RATE)
            device = device_services.authenticate_device(key)
            if device is None:
                raise DomainError(_("Khóa thiết bị không đúng hoặc thiết bị đã bị thu hồi."), code="device_key_invalid")
        except DomainError as exc:
            error = exc
        else:
            return pairing.remember_device(redirect(pairing.device_page(device)), request, key)
    return render(request, "queueing/device_pair.html", {"error": error, "key": key},
                  status=page_status(error) if error else 200)


@login_required
@require_POST
def device_revoke(request, device_id: int):
    """End a pairing (an officer of the branch); a browser unpairing itself also forgets its key."""
    device = selectors.get_device(device_id)
    if device is None:
        raise Http404
    try:
        device_services.revoke_device(device, user=request.user)
    except DomainError as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=exc.status)
    response = redirect(_safe_next(request, pairing.device_page(device)))
    current = pairing.browser_device(request)
    if current is None or current.pk == device.pk:
        pairing.forget_device(response)
    return response


def slip(request, token: str):
    """The ticket as printed: number, group, position and wait; the ID masked."""
    ticket = get_object_or_404(Ticket.objects.select_related("group", "service_point"), token=token)
    position, wait = selectors.ticket_estimate(ticket)
    return render(request, "queueing/slip.html", {"ticket": ticket, "position": position, "wait": wait})


def _console_context(counter: Counter, user, error=None) -> dict:
    point = counter.service_point
    return {
        "counter": counter, "point": point, "state": selectors.state_of(counter),
        "current": selectors.current_ticket(counter), "waiting": selectors.waiting_list(counter),
        "statuses": selectors.group_statuses(point), "groups": selectors.served_groups(point),
        "other_counters": Counter.objects.filter(service_point=point, is_active=True).exclude(pk=counter.pk),
        "error": error, "priorities": dict(Ticket.Priority.choices),
    }


def _operated_counter(request, counter_id: int) -> Counter:
    counter = selectors.get_counter(counter_id)
    if counter is None:
        raise Http404
    if not services.can_operate(request.user, counter.service_point):
        raise PermissionDenied()
    return counter


@login_required
def console(request, counter_id: int):
    """The officer's screen at a counter."""
    try:
        counter = _operated_counter(request, counter_id)
    except PermissionDenied as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=403)
    template = "queueing/console.html"
    if request.headers.get("HX-Request"):
        template += "#waiting" if request.GET.get("part") == "waiting" else "#panel"
    return render(request, template, _console_context(counter, request.user))


@login_required
@require_POST
def console_action(request, counter_id: int, action: str):
    """One button of the console; HTMX swaps the panel, a plain form post comes back to the page."""
    if action not in CONSOLE_ACTIONS:
        raise Http404
    try:
        counter = _operated_counter(request, counter_id)
    except PermissionDenied as exc:
        return render(request, "queueing/forbidden.html", {"message": exc.message}, status=403)
    error = None
    try:
        _perform(request, counter, action)
    except DomainError as exc:
        error = exc
    if not request.headers.get("HX-Request"):
        if error is None:
            return redirect(reverse("queue-console", args=[counter.pk]))
        # Without JavaScript the page itself shows the refusal (or the question), not a silent redirect.
        return render(request, "queueing/console.html", _console_context(counter, request.user, error),
                      status=page_status(error, default=409 if isinstance(error, Conflict) else 422))
    return render(request, "queueing/console.html#panel", _console_context(counter, request.user, error))


def _posted_ticket(request, counter: Counter) -> Ticket:
    """The ticket the page showed at the counter, if it is still there (else the page was out of date)."""
    ticket = selectors.current_ticket(counter)
    if ticket is None or str(ticket.pk) != request.POST.get("ticket"):
        raise DomainError(_("Số thứ tự này không còn ở quầy; trang đã được cập nhật."), code="stale_console")
    return ticket


def _perform(request, counter: Counter, action: str) -> None:
    user = request.user
    if action == "call-next":
        # With a ticket still at the counter the service refuses and the page asks what to do with it:
        # finish it, or mark it absent, then call the next one.
        then = request.POST.get("current", "")
        if then in ("finish", "no-show"):
            ticket = _posted_ticket(request, counter)
            if then == "no-show":
                services.no_show(ticket, user=user)
        services.call_next(counter, user=user, finish_current=then == "finish")
        return
    if action in ("pause", "resume"):
        (services.pause if action == "pause" else services.resume)(counter, user=user)
        return
    ticket = _posted_ticket(request, counter)
    if action == "transfer":
        target = request.POST.get("target", "")
        kind, _sep, pk = target.partition(":")
        group = ServiceGroup.objects.filter(pk=pk).first() if kind == "group" and pk.isdigit() else None
        to_counter = Counter.objects.filter(pk=pk).first() if kind == "counter" and pk.isdigit() else None
        services.transfer(ticket, user=user, group=group, counter=to_counter)
    elif action == "confirm":
        priority = request.POST.get("priority_confirmed")
        services.confirm(ticket, user=user, identity_matches=request.POST.get("identity") != "no",
                         priority_confirmed={"yes": True, "no": False}.get(priority))
    else:
        handler = {"recall": services.recall, "start": services.start, "finish": services.finish,
                   "no-show": services.no_show}[action]
        handler(ticket, user=user)


@login_required
def points(request):
    """The hub of the queue's staff pages: each service point the user operates or oversees, its counters
    (with their live state and, for its officers, the console), its board and today's satisfaction."""
    overseen = selectors.points_overseen(request.user)
    if not overseen:
        return render(request, "queueing/forbidden.html", {"message": PermissionDenied().message}, status=403)
    return render(request, "queueing/points.html", {"points": [
        {"point": point, "counters": selectors.counters_with_state(point),
         "operates": services.can_operate(request.user, point)} for point in overseen]})


def board(request, point_id: int):
    """Full-screen display for the hall's TV; live through server-sent events."""
    point = _point_or_404(point_id)
    return render(request, "queueing/board.html", {
        "point": point, "board": selectors.board(point), "speech": announce.speech_available()})


def board_panel(request, point_id: int):
    point = _point_or_404(point_id)
    return render(request, "queueing/board.html#panel", {"point": point, "board": selectors.board(point)})


def announcement(request, number: str, counter: str):
    """The spoken call as WAV (404 without espeak-ng: the board then plays its chime)."""
    counter = int(counter)
    if not announce.NUMBER.match(number) or not 0 < counter < 1000:
        raise Http404
    path = announce.announcement_wav(number, counter)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response
