from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "motcua.planning"
    verbose_name = _("Kế hoạch bố trí quầy")
