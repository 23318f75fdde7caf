from django.urls import path

from . import views

urlpatterns = [path("pay", views.pay, name="fake-vnpay-pay"),
               path("api/transaction", views.api_transaction, name="fake-vnpay-api")]
