"""URLs for the error-page tests: the project's URLs and handlers, plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.urls import include, path

from motcua.urls import handler400, handler403, handler404, handler500  # noqa: F401 - Django reads them here


def crash(request):
    raise RuntimeError("a bug with a secret inside: 079123456789")


def forbidden(request):
    raise PermissionDenied("internal reason")


def suspicious(request):
    raise SuspiciousOperation("internal reason")


def query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


urlpatterns = [
    path("test-errors/crash/", crash),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/query/", query),
    path("api/test-errors/crash/", crash),
    path("api/test-errors/forbidden/", forbidden),
    path("api/test-errors/suspicious/", suspicious),
    path("", include("motcua.urls")),
]
