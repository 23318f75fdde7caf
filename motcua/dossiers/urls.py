from django.urls import path

from .views import detail, inbox, online, reception, tracking

urlpatterns: list = [
    path("dossiers/", inbox.inbox, name="dossier-inbox"),
    path("dossiers/receive/", reception.receive, name="dossier-receive"),
    path("dossiers/receive/procedures/", reception.procedure_search, name="dossier-procedure-search"),
    path("dossiers/receive/checklist/", reception.reception_checklist, name="dossier-checklist"),
    path("dossiers/receive/lookup/", reception.registry_lookup, name="dossier-registry-lookup"),
    path("dossiers/receive/held/<str:token>/remove/", reception.remove_held_file, name="dossier-held-remove"),
    path("dossiers/received/<str:code>/", reception.received, name="dossier-received"),
    path("dossiers/approvals/", inbox.approvals, name="dossier-approvals"),
    path("dossiers/online/", online.online, name="dossier-online"),
    path("dossiers/mine/", online.mine, name="dossier-mine"),
    path("dossiers/<str:code>/", detail.detail, name="dossier-detail"),
    path("dossiers/<str:code>/actions/<slug:action>/", detail.act, name="dossier-action"),
    path("dossiers/<str:code>/documents/<int:document_id>/", detail.document, name="dossier-document"),
    path("tracking/", tracking.tracking, name="tracking"),
    path("tracking/<str:code>/", tracking.tracking, name="tracking-code"),
]
