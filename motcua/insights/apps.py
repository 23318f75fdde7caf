from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"
    verbose_name = _("Điều hành và công khai")

    def menu(self, user):
        """The service index of the leader's own scope (director: the city; branch and agency heads: theirs)."""
        from motcua.core.menus import MenuItem

        from .policies import default_scope

        if default_scope(user) is None:
            return []
        return [MenuItem(_("Điều hành"), reverse("insights-dashboard"), "insights-dashboard"),
                MenuItem(_("Chỉ số phục vụ"), reverse("insights-service-index"), "insights-service-index")]
