from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = _("Đánh giá và phản ánh")

    def menu(self, user):
        """Today's satisfaction at the user's own service point (branch staff; others reach it per point)."""
        from motcua.core import roles
        from motcua.core.menus import MenuItem
        from motcua.org.selectors import default_service_point

        from .policies import can

        officer = roles.officer_of(user)
        point = default_service_point(officer.branch_id) if officer is not None else None
        if point is None or not can(user, "view_figures", point):
            return []
        return [MenuItem(_("Mức độ hài lòng"), reverse("ratings-figures", args=[point.pk]), "ratings-figures")]
