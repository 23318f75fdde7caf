"""The dossier journeys leave no ID or phone number in any log line (the configured handlers, as served)."""

import pytest

from motcua.notify import tasks as notify_tasks

from .conftest import KNOWN_ID, OTHER_ID, act, land_payload, submit

pytestmark = pytest.mark.django_db

PHONE = "0987654321"


def test_intake_tracking_and_sms_leave_no_personal_number_in_the_logs(client, world, written_logs, caplog):
    caplog.set_level("DEBUG")
    response = submit(client, world.reception, land_payload())
    assert response.status_code == 201
    code = response.json()["code"]
    act(client, world.reception, code, "forward")
    client.get("/dossiers/receive/", {"national_id": KNOWN_ID})
    client.get(f"/api/dossiers/{code}")
    client.get(f"/api/tracking/{code}", {"key": OTHER_ID})
    client.get(f"/api/people/{KNOWN_ID}")
    client.get(f"/no-such-page/{OTHER_ID}/{PHONE}")
    notify_tasks.deliver()
    text = written_logs.getvalue()
    assert '"path": "/api/dossiers/<code>"' in text  # the route, not the dossier's code
    assert "fake SMS to" in text
    for secret in (KNOWN_ID, OTHER_ID, PHONE):
        assert secret not in text, secret
