"""The public transparency table: per agency or procedure, what the national portal publishes (counts only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Coalesce

from motcua.catalog.models import Procedure
from motcua.dossiers.services import deadlines
from motcua.org.models import Agency

from .policies import CITY, Scope
from .selectors import Period, received_in, resolved_in


@dataclass
class Tally:
    """What the national portal publishes of an agency or a procedure: counts only, nobody's data."""

    key: str
    name: str
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    apologies: int = 0

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * (self.early + self.on_time) / self.resolved, 1) if self.resolved else None


def transparency(period: Period, *, by: str) -> list[Tally]:
    """Per competent agency (`by="agency"`) or per procedure (`by="procedure"`), over the city."""
    column = {"agency": "competent_agency", "procedure": "procedure"}[by]
    city = Scope(CITY)
    tallies: dict[int, Tally] = {}
    model = Agency if by == "agency" else Procedure
    names = {pk: (code, name) for pk, code, name in model.objects.values_list("pk", "code", "name")}

    def tally(pk: int) -> Tally:
        if pk not in tallies:
            code, name = names.get(pk, ("", ""))
            tallies[pk] = Tally(key=code, name=name)
        return tallies[pk]

    for row in received_in(city, period).values(column).annotate(n=Count("pk")):
        tally(row[column]).received = row["n"]
    rows = (resolved_in(city, period).annotate(first_due=Coalesce("original_due_at", "due_at"))
            .values_list(column, "result_ready_at", "first_due", "original_due_at"))
    for pk, finished, due, apologised in rows:
        entry = tally(pk)
        entry.resolved += 1
        verdict = deadlines.timeliness(finished, due)
        setattr(entry, verdict, getattr(entry, verdict) + 1)
        if apologised is not None:
            entry.apologies += 1
    return sorted(tallies.values(), key=lambda t: (-t.received, t.name))
