"""The staff and citizen menu: each app says which of its pages a user has, core only collects them.

An app's `AppConfig` may define `menu(user) -> list[MenuItem]`; the site's header shows, after the
public links, the items of every installed app in INSTALLED_APPS order. The rule of who sees a page
stays in the app (its policy); core never names an app's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    key: str  # a stable name for tests and styling (the URL name)


def menu_for(user) -> list[MenuItem]:
    """The user's own pages, from every app that declares a menu."""
    if user is None or not user.is_authenticated:
        return []
    items: list[MenuItem] = []
    for config in apps.get_app_configs():
        menu = getattr(config, "menu", None)
        if callable(menu):
            items.extend(menu(user))
    return items
