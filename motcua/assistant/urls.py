from django.urls import path

from . import views

urlpatterns = [
    path("assistant/", views.page, name="assistant"),
    path("assistant/ask/", views.ask, name="assistant-ask"),
]
