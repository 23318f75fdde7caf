"""What the queue API's operations share: their error answers and the lookups that answer 404/422."""

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.api import ErrorOut
from motcua.core.errors import NotFound, ValidationFailed
from motcua.org.models import Counter, ServiceGroup

from .. import selectors
from ..services.calling import CounterNotFound

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def find_point(point_id: int):
    point = selectors.get_point(point_id)
    if point is None:
        raise NotFound(_("Không có điểm tiếp nhận này."), code="service_point_not_found")
    return point


def find_counter(counter_id: int) -> Counter:
    counter = selectors.get_counter(counter_id)
    if counter is None:
        raise CounterNotFound()
    return counter


def find_group(point, value: str, reads: selectors.HallReads | None = None) -> ServiceGroup:
    """The group named by its code or letter; with `reads`, looked for first among those served at `point`."""
    value = (value or "").strip()
    if reads is not None and value:
        served = [g for g in reads.served_groups() if g.code == value or g.letter == value.upper()]
        if served:
            return served[0]
    group = ServiceGroup.objects.filter(Q(code=value) | Q(letter=value.upper()),
                                        center_id=point.branch.center_id).first() if value else None
    if group is None:
        raise ValidationFailed(_("Không có nhóm dịch vụ này."), code="group_not_found", details={"field": "group"})
    return group
