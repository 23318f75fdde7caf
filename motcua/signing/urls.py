from django.urls import path

from . import views

app_name = "signing"

urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("verify/<str:public_id>/", views.document_page, name="document"),
    path("signing/crl.der", views.crl, name="crl"),
    path("signing/batches/", views.batch_page, name="batch"),
    path("signing/batches/<int:batch_id>/", views.batch_detail, name="batch-detail"),
    path("results/<str:code>/", views.result_download, name="result-download"),
]
