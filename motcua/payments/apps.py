from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Phí, lệ phí và biên lai")

    def ready(self):
        from motcua.core import domain_events

        from .services import invoices

        domain_events.subscribe("dossier.submitted", invoices.on_dossier_submitted)
        domain_events.subscribe("dossier.received", invoices.on_dossier_received)

    def menu(self, user):
        """The fee counter, for the branch's fee-collection officers and leader (core.menus)."""
        from django.urls import reverse

        from motcua.core.menus import MenuItem

        from .policies import fee_branch_of

        if fee_branch_of(user) is None:
            return []
        return [MenuItem(_("Quầy thu phí"), reverse("payments-counter"), "payments-counter"),
                MenuItem(_("Đối soát"), reverse("payments-reconciliation"), "payments-reconciliation"),
                MenuItem(_("Hoàn trả"), reverse("payments-refunds"), "payments-refunds")]
