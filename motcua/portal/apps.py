from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Cổng công dân")

    def ready(self) -> None:
        from motcua.core import uploads
        from motcua.integrations.identity import fake

        from .models import WALLET_FOLDER, referenced_files

        uploads.register_folder(WALLET_FOLDER, referenced_files)
        fake.use_people(demo_identities)

    def menu(self, user):
        """The citizen's own pages (core.menus): their dossiers; the wallet for a citizen linked to a person."""
        from motcua.core import roles
        from motcua.core.menus import MenuItem

        from . import policies

        items = []
        if roles.has_role(user, roles.CITIZEN):
            items.append(MenuItem(_("Hồ sơ của tôi"), reverse("portal-me"), "portal-me"))
        if policies.can(user, policies.USE_WALLET):
            items.append(MenuItem(_("Ví giấy tờ"), reverse("portal-wallet"), "portal-wallet"))
            items.append(
                MenuItem(_("Sự kiện cuộc sống"), reverse("portal-my-life-events"), "portal-my-life-events")
            )
        return items


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
