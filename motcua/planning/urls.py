from django.urls import path  # noqa: F401

from .views import estimates

urlpatterns: list = [
    path("planning/estimates/", estimates.wait_estimates, name="planning-estimates"),
]
