from django.urls import path

from . import views

app_name = "fake_postal"
urlpatterns = [
    path("quotes", views.quotes, name="quotes"),
    path("orders", views.orders, name="orders"),
    path("orders/<str:tracking_number>/events", views.events, name="events"),
]
