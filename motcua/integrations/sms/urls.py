from django.urls import path

from . import views

app_name = "fake_sms_gateway"
urlpatterns = [path("messages", views.messages, name="messages")]
