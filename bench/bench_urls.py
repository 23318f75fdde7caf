"""The project's URLs plus `/bench/ping`, the minimal JSON endpoint that benchmarks use as their baseline."""

from django.http import JsonResponse
from django.urls import include, path


def ping(request):
    """The cheapest JSON answer the stack can give: the same middleware, no database."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/ping", ping, name="bench-ping"),
    path("", include("motcua.urls")),
]
