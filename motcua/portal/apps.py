from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Cổng công dân")

    def ready(self):
        from motcua.core import uploads

        from .models import WALLET_FOLDER, referenced_files

        uploads.register_folder(WALLET_FOLDER, referenced_files)

    def menu(self, user):
        """The citizen's own pages (core.menus): the wallet for a citizen linked to a person."""
        from motcua.core.menus import MenuItem

        from . import policies

        items = []
        if policies.can(user, policies.USE_WALLET):
            items.append(MenuItem(_("Ví giấy tờ"), reverse("portal-wallet"), "portal-wallet"))
            items.append(
                MenuItem(_("Sự kiện cuộc sống"), reverse("portal-my-life-events"), "portal-my-life-events")
            )
        return items
