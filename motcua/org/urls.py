from django.urls import path

from . import views

urlpatterns = [
    path("branches/", views.branch_list, name="branch-list"),
]
