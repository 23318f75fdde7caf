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
        """The staffing planner, for the branches' leaders."""
        from django.urls import reverse

        from motcua.core.menus import MenuItem

        from .policies import leads_any_branch

        return (
            [MenuItem(_("Bố trí quầy"), reverse("planning-staffing"), "planning-staffing")]
            if leads_any_branch(user)
            else []
        )
