"""The site's URLs plus the fake national portal (tests only; the site does not mount it yet)."""

from django.urls import include, path

from motcua.urls import urlpatterns as site_patterns

urlpatterns = [path("fake/national-portal/", include("motcua.integrations.national_portal.urls")), *site_patterns]
