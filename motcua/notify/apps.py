from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = _("Thông báo")

    def menu(self, user):
        """The citizen's notifications (core.menus), as the page allows every logged-in citizen."""
        from motcua.core import roles
        from motcua.core.menus import MenuItem

        if roles.has_role(user, roles.CITIZEN):
            return [MenuItem(_("Thông báo"), reverse("notify-inbox"), "notify-inbox")]
        return []
