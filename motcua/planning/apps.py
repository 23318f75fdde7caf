from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "motcua.planning"
    verbose_name = _("Kế hoạch bố trí quầy")

    def menu(self, user):
        """The wait estimates report: branch leaders, the center's director and administrators."""
        from django.urls import reverse

        from motcua.core import roles
        from motcua.core.menus import MenuItem

        if not (roles.is_admin(user) or roles.has_role(user, roles.BRANCH_LEADER, roles.CENTER_DIRECTOR)):
            return []
        return [
            MenuItem(_("Độ chính xác thời gian chờ"), reverse("planning-estimates"), "planning-estimates")
        ]
