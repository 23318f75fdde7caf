from django.urls import path

from . import views

urlpatterns = [
    path("feedback/counters/<int:counter_id>/", views.tablet, name="ratings-tablet"),
    path("feedback/counters/<int:counter_id>/panel/", views.tablet_panel, name="ratings-tablet-panel"),
    path("feedback/counters/<int:counter_id>/rate/", views.tablet_rate, name="ratings-tablet-rate"),
    path("feedback/service-points/<int:point_id>/", views.point_figures, name="ratings-figures"),
]
