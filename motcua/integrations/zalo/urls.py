from django.urls import path

from . import views

app_name = "fake_zalo_oa"
urlpatterns = [path("v3.0/oa/message/cs", views.send_cs_message, name="send-cs-message")]
