from django.conf import settings

from .menus import menu_for
from .roles import ROLE_LABELS, roles_of


def site(request):
    roles = roles_of(request.user) if hasattr(request, "user") else []
    return {
        "user_roles": roles,
        "user_role_labels": [ROLE_LABELS[r] for r in roles],
        "user_menu": menu_for(request.user) if hasattr(request, "user") else [],
        "map_tile_url": settings.MOTCUA["MAP_TILE_URL"],
    }
