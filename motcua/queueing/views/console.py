"""The officer's pages: the console at a counter (HTMX) and the hub of the service points."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import Conflict, DomainError, PermissionDenied, page_status
from motcua.org.models import Counter, ServiceGroup

from .. import selectors, services
from ..models import Ticket

CONSOLE_ACTIONS = {"call-next", "recall", "start", "finish", "no-show", "transfer", "confirm", "pause", "resume"}


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
