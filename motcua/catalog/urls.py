from django.urls import path

from . import views

urlpatterns = [
    path("procedures/", views.procedure_list, name="procedure-list"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure-detail"),
]
