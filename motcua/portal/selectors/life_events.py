"""Read queries of the life events: the public list, and what a citizen already has of each."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from motcua.dossiers.models import OPEN_STATE_LIST, Dossier, State

from ..models import LifeEvent, LifeEventStep


def life_events():
    """Every life event with its procedures, in order."""
    steps = LifeEventStep.objects.select_related("procedure__agency").order_by("position")
    return LifeEvent.objects.prefetch_related(Prefetch("steps", queryset=steps)).order_by("position", "code")


def life_event(code: str) -> LifeEvent | None:
    return life_events().filter(code=code[:60]).first()


@dataclass
class StepStatus:
    step: LifeEventStep
    status: str  # "done" (a result), "open" (a dossier in progress), "todo"
    dossier: Dossier | None = None


def statuses(user, person, event: LifeEvent) -> list[StepStatus]:
    """Each procedure of the event for this citizen: already done, in progress, or still to file."""
    codes = [step.procedure.code for step in event.steps.all()]
    whose = Q(owner=user) | Q(person=person) if person is not None else Q(owner=user)
    dossiers = (
        Dossier.objects.filter(whose, procedure__code__in=codes)
        .select_related("procedure")
        .order_by("-submitted_at")
    )
    latest_done: dict[str, Dossier] = {}
    latest_open: dict[str, Dossier] = {}
    for dossier in dossiers:
        code = dossier.procedure.code
        if dossier.state in (State.RESULT_READY, State.RETURNED):
            latest_done.setdefault(code, dossier)
        elif dossier.state in OPEN_STATE_LIST:
            latest_open.setdefault(code, dossier)
    out = []
    for step in event.steps.all():
        code = step.procedure.code
        if code in latest_done:
            out.append(StepStatus(step, "done", latest_done[code]))
        elif code in latest_open:
            out.append(StepStatus(step, "open", latest_open[code]))
        else:
            out.append(StepStatus(step, "todo"))
    return out
