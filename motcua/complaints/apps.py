from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "motcua.complaints"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self):
        from motcua.core import uploads

        from .models import ATTACHMENT_FOLDER, referenced_files

        uploads.register_folder(ATTACHMENT_FOLDER, referenced_files)

    def menu(self, user):
        """The complaints to answer or approve, for staff (the agency's, the branch's, the director)."""
        from motcua.core import roles
        from motcua.core.menus import MenuItem

        if not (roles.officer_of(user) is not None or roles.has_role(user, roles.CENTER_DIRECTOR)):
            return []
        return [MenuItem(_("Phản ánh, kiến nghị"), reverse("complaint-inbox"), "complaint-inbox")]
