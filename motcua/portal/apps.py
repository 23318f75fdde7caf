from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Cổng công dân")

    def ready(self) -> None:
        from motcua.integrations.identity import fake

        fake.use_people(demo_identities)

    def menu(self, user):
        from django.urls import reverse

        from motcua.core import roles
        from motcua.core.menus import MenuItem

        if roles.has_role(user, roles.CITIZEN):
            return [MenuItem(_("Hồ sơ của tôi"), reverse("portal-me"), "portal-me")]
        return []


def demo_identities():
    """The people the fake VNeID lists on its login page: the demo citizen first, then the others."""
    from django.db.models import F

    from motcua.integrations.identity import Identity
    from motcua.org.models import Person

    people = Person.objects.order_by(F("user_id").desc(nulls_last=True), "pk")[:12]
    return [
        Identity(subject="", national_id=p.national_id, full_name=p.full_name, birth_date=p.birth_date)
        for p in people
    ]
