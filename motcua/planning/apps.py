from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "motcua.planning"
    verbose_name = _("Kế hoạch bố trí quầy")

    def ready(self) -> None:
        from motcua.planning.selectors.staffing import saved_counters
        from motcua.queueing.staffing import register_plan_source

        # Booking capacity and the capacity guarantee follow a saved staffing plan.
        register_plan_source(saved_counters)

    def menu(self, user):
        """The staffing planner for the branches' leaders; the wait estimates report for them, the center's
        director and administrators."""
        from django.urls import reverse

        from motcua.core import roles
        from motcua.core.menus import MenuItem

        from .policies import leads_any_branch
        from .selectors import estimates

        items = []
        if leads_any_branch(user):
            items.append(MenuItem(_("Bố trí quầy"), reverse("planning-staffing"), "planning-staffing"))
        if (roles.is_admin(user) or roles.has_role(user, roles.BRANCH_LEADER, roles.CENTER_DIRECTOR)) and \
                estimates.points_for(user):  # the page's own rule: a point the user may see
            items.append(MenuItem(_("Độ chính xác thời gian chờ"), reverse("planning-estimates"),
                                  "planning-estimates"))
        return items
