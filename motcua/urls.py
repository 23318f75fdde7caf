from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api import api
from motcua.core import views as core_views
from motcua.portal.views import accounts as portal_accounts

admin.site.site_header = _("motcua – Quản trị")
admin.site.site_title = _("motcua")
admin.site.index_title = _("Quản trị hệ thống một cửa")

# The project's error pages (with DEBUG off): the site's layout, JSON under /api/.
handler400 = "motcua.core.error_pages.bad_request"
handler403 = "motcua.core.error_pages.permission_denied"
handler404 = "motcua.core.error_pages.page_not_found"
handler500 = "motcua.core.error_pages.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("login/", portal_accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Local fakes of external systems: they answer only with DEBUG or their setting, never in production.
    path("fake/population-registry/", include("motcua.integrations.population_registry.urls")),
    path("fake/sms/", include("motcua.integrations.sms.urls")),
    path("fake/national-portal/", include("motcua.integrations.national_portal.urls")),
    path("fake/zalo/", include("motcua.integrations.zalo.urls")),
    path("fake-vneid/", include("motcua.integrations.identity.urls")),
    path("fake/vnpay/", include("motcua.integrations.payment_gateway.urls")),
    path("fake/postal/", include("motcua.integrations.postal.urls")),
    path("", include("motcua.catalog.urls")),
    path("", include("motcua.org.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.queueing.urls")),
    path("", include("motcua.ratings.urls")),
    path("", include("motcua.complaints.urls")),
    path("", include("motcua.assistant.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.insights.urls")),
    path("", include("motcua.signing.urls")),
    path("", include("motcua.notify.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.planning.urls")),
]
