from django.urls import path, re_path

from .views import board, booking, console, devices, kiosk

urlpatterns = [
    path("queue/kiosk/<int:point_id>/", kiosk.kiosk, name="queue-kiosk"),
    path("queue/kiosk/<int:point_id>/check-in/", booking.kiosk_check_in, name="queue-kiosk-check-in"),
    path("queue/devices/pair/", devices.device_pair, name="queue-device-pair"),
    path("queue/devices/pair-with-key/", devices.device_pair_with_key, name="queue-device-pair-with-key"),
    path("queue/devices/<int:device_id>/revoke/", devices.device_revoke, name="queue-device-revoke"),
    path("queue/", console.points, name="queue-points"),
    path("queue/book/", booking.book, name="queue-book"),
    path("queue/book/<str:public_id>/", booking.booking_page, name="queue-booking"),
    path("queue/tickets/<str:token>/", kiosk.slip, name="queue-slip"),
    path("queue/counters/<int:counter_id>/", console.console, name="queue-console"),
    path("queue/counters/<int:counter_id>/<slug:action>/", console.console_action, name="queue-console-action"),
    path("queue/board/<int:point_id>/", board.board, name="queue-board"),
    path("queue/board/<int:point_id>/panel/", board.board_panel, name="queue-board-panel"),
    re_path(r"^queue/announcements/(?P<number>[A-Z]{1,2}-\d{1,4})-(?P<counter>\d{1,3})\.wav$", board.announcement,
            name="queue-announcement"),
]
