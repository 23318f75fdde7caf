from django.urls import path

from . import views

urlpatterns = [
    path("complaints/", views.published_list, name="complaint-list"),
    path("complaints/new/", views.new, name="complaint-new"),
    path("complaints/track/", views.track, name="complaint-track"),
    path("complaints/inbox/", views.inbox, name="complaint-inbox"),
    path("complaints/inbox/<str:code>/", views.handle, name="complaint-handle"),
    path("complaints/inbox/<str:code>/files/<int:attachment_id>/", views.attachment, name="complaint-attachment"),
    path("complaints/<str:code>/", views.published_detail, name="complaint-detail"),
]
