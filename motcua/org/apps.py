from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self):
        # The registry's local fake knows no app: the people known to the center are plugged in from here.
        from motcua.integrations.population_registry import fake

        from .selectors import person_record

        fake.use_source(person_record)
