"""What every page shows of the installation's center (its motto under the site's name)."""

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from .selectors import home_center

# Hà Nội's motto (data/org/center.yaml), kept in the catalogue so that English pages translate it; a
# motto the catalogue does not know is shown as the data writes it.
gettext_noop("Hành chính thông minh – Tận tâm phục vụ")

MOTTO_CACHE_SECONDS = 300  # read once per process and five minutes, not once per page


def _motto() -> str:
    key = f"org:home-center-motto:{settings.MOTCUA.get('CENTER_CODE') or ''}"
    motto = cache.get(key)
    if motto is None:
        center = home_center()
        motto = center.motto if center is not None else ""
        cache.set(key, motto, MOTTO_CACHE_SECONDS)
    return gettext(motto) if motto else ""


def center(request):
    """`center_motto`: read only when a template shows it (fragments that do not, cost nothing)."""
    return {"center_motto": lazy(_motto, str)()}
