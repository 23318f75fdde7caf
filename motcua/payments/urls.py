from django.urls import path

from . import views

urlpatterns = [
    path("payments/vnpay/ipn", views.vnpay_ipn, name="payments-vnpay-ipn"),
    path("payments/vnpay/return", views.vnpay_return, name="payments-vnpay-return"),
    path("payments/receipts/check/<str:key>", views.check_receipt, name="payments-check"),
    path("payments/dossiers/<str:code>/", views.dossier_fees, name="payments-dossier"),
    path("payments/counter/", views.fee_counter, name="payments-counter"),
    path("payments/reconciliation/", views.reconciliation, name="payments-reconciliation"),
    path("payments/refunds/", views.refunds, name="payments-refunds"),
]
