from django.urls import path

from . import views

app_name = "fake_national_portal"
urlpatterns = [
    path("statuses", views.statuses, name="statuses"),
    path("dossiers/new", views.new_dossiers, name="new-dossiers"),
    path("dossiers/<str:reference>/ack", views.acknowledge, name="acknowledge"),
]
