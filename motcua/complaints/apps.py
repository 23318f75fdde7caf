from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "motcua.complaints"
    verbose_name = _("Phản ánh, kiến nghị")
