from django.urls import path

from . import views, views_online

urlpatterns: list = [
    path("dossiers/", views.inbox, name="dossier-inbox"),
    path("dossiers/receive/", views.receive, name="dossier-receive"),
    path("dossiers/receive/procedures/", views.procedure_search, name="dossier-procedure-search"),
    path("dossiers/receive/checklist/", views.reception_checklist, name="dossier-checklist"),
    path("dossiers/receive/lookup/", views.registry_lookup, name="dossier-registry-lookup"),
    path("dossiers/receive/held/<str:token>/remove/", views.remove_held_file, name="dossier-held-remove"),
    path("dossiers/received/<str:code>/", views.received, name="dossier-received"),
    path("dossiers/approvals/", views.approvals, name="dossier-approvals"),
    path("dossiers/online/", views_online.online, name="dossier-online"),
    path("dossiers/mine/", views_online.mine, name="dossier-mine"),
    path("dossiers/<str:code>/", views.detail, name="dossier-detail"),
    path("dossiers/<str:code>/actions/<slug:action>/", views.act, name="dossier-action"),
    path("dossiers/<str:code>/documents/<int:document_id>/", views.document, name="dossier-document"),
    path("tracking/", views.tracking, name="tracking"),
    path("tracking/<str:code>/", views.tracking, name="tracking-code"),
]
