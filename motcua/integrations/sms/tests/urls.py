"""The site's URLs plus the fake SMS gateway (tests only; the site does not mount it yet)."""

from django.urls import include, path

from motcua.urls import urlpatterns as site_patterns

urlpatterns = [path("fake/sms/", include("motcua.integrations.sms.urls")), *site_patterns]
