"""What the queue pages share: the service point of the address, or 404."""

from django.http import Http404

from .. import selectors


def point_or_404(point_id: int):
    point = selectors.get_point(point_id)
    if point is None:
        raise Http404
    return point
