from django.urls import path

from . import views

urlpatterns = [
    path("me/notifications/", views.inbox, name="notify-inbox"),
    path("notify/callbacks/sms", views.sms_report, name="notify-callback-sms"),
    path("notify/callbacks/zalo", views.zalo_event, name="notify-callback-zalo"),
]
