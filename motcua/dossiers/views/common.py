"""What the staff pages of dossiers share: the role check of each kind of page, the HTMX fragment."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from motcua.core.errors import PermissionDenied

from .. import page_selectors as pages

PAGE_ROLES = {"receive": pages.may_receive, "inbox": pages.may_use_inbox, "approve": pages.may_see_approvals}


def staff_page(kind: str):
    """Login, then the role: a 403 page naming the problem instead of the page."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not PAGE_ROLES[kind](request.user):
                return render(request, "dossiers/forbidden.html", {"message": PermissionDenied().message},
                              status=403)
            return view(request, *args, **kwargs)
        return wrapper
    return decorate


def _template(request, name: str, part: str) -> str:
    return f"dossiers/{name}.html#{part}" if request.headers.get("HX-Request") else f"dossiers/{name}.html"
