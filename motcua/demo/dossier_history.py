"""Months of finished dossiers for the demo, so that the leaders' figures show something true.

Every working day of the last `days` calendar days (the center's own calendar: weekends, Tết and the
other days off have none), each branch receives some dossiers of the catalog's procedures, from the
counter, online or the national portal. Each is finished — resolved and returned, or refused — so no
officer's inbox fills with work nobody can do: the appointment is the dossiers' own rule (the
procedure's duration in working time, paused while a supplement was awaited, `WorkCalendar.due_at`),
most results come before it, some after (an apology moved a part of those), a few dossiers needed a
supplement. Codes are drawn from the same daily sequences as real intake (`core.codes`).

Deterministic for a seed; idempotent: nothing is added when dossiers older than today exist.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from motcua.catalog.models import Procedure
from motcua.core import clock, codes
from motcua.core.text import fold
from motcua.dossiers.models import Channel, Dossier, DossierDocument, ReturnMethod, State, SupplementRequest
from motcua.org.calendars import calendar_for
from motcua.org.models import Branch, Center, Person
from motcua.worktime import WorkCalendar

SEED = 766
DAYS = 120
PER_BRANCH_DAY = 4  # the mean: a Poisson number each day
ONLINE_SHARE, PORTAL_SHARE = 0.5, 0.06
SUPPLEMENT_SHARE, REFUSED_SHARE = 0.08, 0.02
# When the result comes, as a share of the legal duration: early, on the last day, or late (after it).
EARLY_SHARE, LATE_SHARE, APOLOGY_SHARE = 0.62, 0.08, 0.7


@dataclass
class HistoryReport:
    created: int = 0
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return gettext("bỏ qua (đã có lịch sử)")
        return ngettext("%(n)d hồ sơ", "%(n)d hồ sơ", self.created) % {"n": self.created}


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means of a branch's day.
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _moment_in(calendar: WorkCalendar, day: dt.date, rng: random.Random) -> dt.datetime:
    """A random minute of the day's working periods."""
    periods = calendar.working_periods(day)
    total = sum(int((end - start).total_seconds() // 60) for start, end in periods)
    minute = rng.randrange(max(total, 1))
    for start, end in periods:
        length = int((end - start).total_seconds() // 60)
        if minute < length:
            return start + dt.timedelta(minutes=minute)
        minute -= length
    return periods[0][0]


def _shifted(calendar: WorkCalendar, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    return calendar.add_working_time(calendar.counting_start(start), duration)


@transaction.atomic
def generate_dossier_history(center: Center, *, days: int = DAYS, per_branch_day: float = PER_BRANCH_DAY,
                             seed: int = SEED) -> HistoryReport:
    """Finished dossiers for the `days` before today at every active branch of `center` (see the module)."""
    today = timezone.localdate(clock.now())
    start_of_today = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    if days <= 0 or Dossier.objects.filter(received_at__lt=start_of_today).exists():
        return HistoryReport(skipped=True)
    procedures = list(Procedure.objects.filter(agency__isnull=False, processing_days__gt=0, is_active=True)
                      .select_related("agency").order_by("code"))
    branches = list(Branch.objects.filter(center=center, is_active=True).order_by("number"))
    people = list(Person.objects.order_by("national_id")[:500])
    if not (procedures and branches and people):
        return HistoryReport()
    calendar = calendar_for(center)
    rng = random.Random(seed)  # noqa: S311 - demo data, the same for a seed
    resume = "resume" if center.resume_mode == "resume" else "restart"
    dossiers: list[Dossier] = []
    supplements: list[tuple[int, dt.datetime, dt.datetime]] = []
    shown: list[int] = []
    for day in calendar.working_days_in(today - dt.timedelta(days=days), today - dt.timedelta(days=1)):
        for branch in branches:
            for _n in range(_poisson(rng, per_branch_day)):
                procedure = rng.choice(procedures)
                person = rng.choice(people)
                draw = rng.random()
                channel = (Channel.ONLINE if draw < ONLINE_SHARE else
                           Channel.NATIONAL_PORTAL if draw < ONLINE_SHARE + PORTAL_SHARE else Channel.COUNTER)
                received = _moment_in(calendar, day, rng)
                duration = calendar.day_length * float(procedure.processing_days)
                pauses = []
                if rng.random() < SUPPLEMENT_SHARE:
                    asked = _shifted(calendar, received, calendar.day_length * 0.5)
                    supplied = _shifted(calendar, asked, calendar.day_length * rng.choice((1, 2, 3)))
                    pauses.append((asked, supplied))
                due = calendar.due_at(received, duration, pauses, resume)
                assert due is not None  # every pause here is closed
                draw = rng.random()
                if draw < EARLY_SHARE:
                    result = _shifted(calendar, received, duration * rng.uniform(0.3, 0.85))
                elif draw < 1 - LATE_SHARE:
                    result = due - dt.timedelta(minutes=rng.randrange(5, 120))
                else:
                    result = _shifted(calendar, due, calendar.day_length * rng.uniform(0.2, 3))
                if result >= start_of_today:
                    continue  # not finished yet: no history of work still open
                late = result > due
                refused = rng.random() < REFUSED_SHARE
                returned = None if refused else min(_shifted(calendar, result, calendar.day_length * rng.uniform(0, 2)),
                                                    start_of_today - dt.timedelta(minutes=1))
                number = codes.next_in_sequence(f"dossier:{procedure.agency.e_id}", day)
                dossier = Dossier(
                    code=codes.dossier_code(procedure.agency.e_id, day, number), procedure=procedure,
                    channel=channel, state=State.REFUSED if refused else State.RETURNED,
                    applicant_kind="person", applicant_name=person.full_name, applicant_name_folded=fold(person.full_name),
                    person=person,
                    applicant_id_number=person.national_id, applicant_birth_date=person.birth_date,
                    applicant_gender=person.gender, applicant_phone=person.phone, applicant_address=person.address,
                    registry_used=channel != Channel.COUNTER and rng.random() < 0.7,
                    competent_agency=procedure.agency, branch=branch, submitted_at=received, received_at=received,
                    due_at=due, result_ready_at=result, returned_at=returned, closed_at=returned or result,
                    return_method="" if refused else (ReturnMethod.ELECTRONIC if channel != Channel.COUNTER
                                                      and rng.random() < 0.5 else ReturnMethod.COUNTER),
                    returned_to="" if refused else person.full_name)
                if late and rng.random() < APOLOGY_SHARE:
                    dossier.original_due_at = due
                    dossier.due_at = _shifted(calendar, result, calendar.day_length)
                dossiers.append(dossier)
                if pauses:
                    supplements.append((len(dossiers) - 1, *pauses[0]))
                if channel == Channel.COUNTER:
                    shown.append(len(dossiers) - 1)
    Dossier.objects.bulk_create(dossiers, batch_size=500)
    SupplementRequest.objects.bulk_create([
        SupplementRequest(dossier=dossiers[i], items=[{"name": "Tờ khai", "reason": "Thiếu chữ ký"}],
                          requested_at=asked, supplied_at=supplied, resume_state=State.PROCESSING)
        for i, asked, supplied in supplements], batch_size=500)
    DossierDocument.objects.bulk_create([
        DossierDocument(dossier=dossiers[i], position=1, name="Căn cước", source=DossierDocument.Source.SHOWN)
        for i in shown], batch_size=500)
    return HistoryReport(created=len(dossiers))
