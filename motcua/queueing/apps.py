from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Xếp hàng và đặt lịch")

    def menu(self, user):
        """The counters' page for those who operate or oversee service points (core.menus)."""
        from motcua.core.menus import MenuItem

        from . import selectors

        if not selectors.points_overseen(user):
            return []
        return [MenuItem(_("Quầy và điểm tiếp nhận"), reverse("queue-points"), "queue-points")]
