"""The site's URLs plus the fake postal service."""

from django.urls import include, path

from motcua.urls import urlpatterns as site_patterns

urlpatterns = [path("fake/postal/", include("motcua.integrations.postal.urls")), *site_patterns]
