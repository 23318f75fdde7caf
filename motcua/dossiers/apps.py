from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from motcua.core import uploads

        from .models import DOCUMENT_FOLDER, RESULT_FOLDER, referenced_files

        uploads.register_folder(DOCUMENT_FOLDER, referenced_files)
        uploads.register_folder(RESULT_FOLDER, referenced_files)

    def menu(self, user):
        """The dossier pages this user has (core.menus): the same rules as the pages themselves."""
        from motcua.core import roles
        from motcua.core.menus import MenuItem

        from . import page_selectors as pages

        items = []
        if pages.may_use_inbox(user):
            items.append(MenuItem(_("Hồ sơ cần xử lý"), reverse("dossier-inbox"), "dossier-inbox"))
        if pages.may_receive(user):
            items.append(MenuItem(_("Tiếp nhận hồ sơ"), reverse("dossier-receive"), "dossier-receive"))
        if pages.may_see_approvals(user):
            items.append(MenuItem(_("Phê duyệt"), reverse("dossier-approvals"), "dossier-approvals"))
        if roles.has_role(user, roles.CITIZEN):
            # The citizen's "Hồ sơ của tôi" is the portal's /me/ (every dossier of the person).
            items.append(MenuItem(_("Nộp hồ sơ trực tuyến"), reverse("dossier-online"), "dossier-online"))
        return items
