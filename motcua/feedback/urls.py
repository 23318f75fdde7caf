from django.urls import path

from . import views

urlpatterns = [
    path("feedback/counters/<int:counter_id>/", views.tablet, name="feedback-tablet"),
    path("feedback/counters/<int:counter_id>/panel/", views.tablet_panel, name="feedback-tablet-panel"),
    path("feedback/counters/<int:counter_id>/rate/", views.tablet_rate, name="feedback-tablet-rate"),
    path("feedback/service-points/<int:point_id>/", views.point_figures, name="feedback-figures"),
]
