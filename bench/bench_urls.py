"""The project's URLs plus `/bench/ping` and `/bench/bare`, the minimal JSON endpoints benchmarks use as baselines.

Both are the same view. `/bench/ping` goes through the project's whole middleware stack;
`/bench/bare` is served by bench_asgi's handler without any middleware.
"""

from django.http import JsonResponse
from django.urls import include, path


def ping(request):
    """The cheapest JSON answer the stack can give: the same middleware, no database."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/ping", ping, name="bench-ping"),
    path("bench/bare", ping, name="bench-bare"),
    path("", include("motcua.urls")),
]
