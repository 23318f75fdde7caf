"""Planning: the staffing planner and the judgement of wait estimates on real waits."""

from django.urls import path

from motcua.planning.views import estimates, staffing

urlpatterns: list = [
    path("planning/staffing/", staffing.staffing_page, name="planning-staffing"),
    path("planning/estimates/", estimates.wait_estimates, name="planning-estimates"),
]
