from django.urls import path

from . import views

urlpatterns = [
    path("insights/service-index/", views.service_index, name="insights-service-index"),
    path("insights/service-index/dossiers/", views.dossiers, name="insights-dossiers"),
    path("insights/dashboard/", views.dashboard, name="insights-dashboard"),
    path("insights/analysis/", views.analysis, name="insights-analysis"),
    path("insights/analysis/dossiers/", views.analysis_dossiers, name="insights-analysis-dossiers"),
    path("transparency/", views.transparency, name="insights-transparency"),
    path("map/", views.service_map, name="insights-map"),
]
