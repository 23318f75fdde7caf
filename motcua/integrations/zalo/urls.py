from django.urls import path

from . import views

app_name = "fake_zalo_oa"
urlpatterns = [
    path("v3.0/oa/message/cs", views.send_cs_message, name="send-cs-message"),
    path("message/template", views.send_zns_template, name="send-zns-template"),
    path("v4/oa/access_token", views.refresh_access_token, name="refresh-access-token"),
]
