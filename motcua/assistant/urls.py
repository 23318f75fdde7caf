from django.urls import path

from . import views, zalo

urlpatterns = [
    path("assistant/", views.page, name="assistant"),
    path("assistant/ask/", views.ask, name="assistant-ask"),
    path("zalo/webhook", zalo.webhook, name="assistant-zalo-webhook"),
]
