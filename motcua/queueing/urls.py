from django.urls import path, re_path

from . import views, views_booking

urlpatterns = [
    path("queue/kiosk/<int:point_id>/", views.kiosk, name="queue-kiosk"),
    path("queue/kiosk/<int:point_id>/check-in/", views_booking.kiosk_check_in, name="queue-kiosk-check-in"),
    path("queue/devices/pair/", views.device_pair, name="queue-device-pair"),
    path("queue/devices/pair-with-key/", views.device_pair_with_key, name="queue-device-pair-with-key"),
    path("queue/devices/<int:device_id>/revoke/", views.device_revoke, name="queue-device-revoke"),
    path("queue/", views.points, name="queue-points"),
    path("queue/book/", views_booking.book, name="queue-book"),
    path("queue/book/<str:public_id>/", views_booking.booking_page, name="queue-booking"),
    path("queue/tickets/<str:token>/", views.slip, name="queue-slip"),
    path("queue/counters/<int:counter_id>/", views.console, name="queue-console"),
    path("queue/counters/<int:counter_id>/<slug:action>/", views.console_action, name="queue-console-action"),
    path("queue/board/<int:point_id>/", views.board, name="queue-board"),
    path("queue/board/<int:point_id>/panel/", views.board_panel, name="queue-board-panel"),
    re_path(r"^queue/announcements/(?P<number>[A-Z]{1,2}-\d{1,4})-(?P<counter>\d{1,3})\.wav$", views.announcement,
            name="queue-announcement"),
]
