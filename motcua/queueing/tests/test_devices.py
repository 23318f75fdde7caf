"""Kiosks are registered, paired devices: who may take a number, the limits that apply, the API's auth.

Regression tests of the hardening issue: anonymous clients took numbers without limit on the kiosk
page, and the API operation documented without auth answered with a CSRF error.
"""

from django.contrib.auth.models import User
from django.test import Client

from motcua.core.audit import history_of
from motcua.core.models import ApiToken
from motcua.org.tests.factories import make_point
from motcua.queueing.models import Device, PersonDayQuota, Ticket
from motcua.queueing.pairing import DEVICE_COOKIE
from motcua.queueing.services import devices

from .conftest import citizen_id

JSON = "application/json"


def kiosk_url(point, part=""):
    return f"/queue/kiosk/{point.pk}/{part}"


def ticket_form(hall, n):
    return {"group": hall.land.pk, "national_id": citizen_id(n), "lane": "in_person"}


def api_ticket(client, point, n, **headers):
    return client.post(f"/api/service-points/{point.pk}/tickets", {"group": "B", "national_id": citizen_id(n)},
                       content_type=JSON, headers=headers)


# --- the kiosk page --------------------------------------------------------------------------------


def test_an_unpaired_browser_gets_a_clear_page_and_takes_no_number(client, hall):
    for url in (kiosk_url(hall.point), kiosk_url(hall.point, "check-in/")):
        page = client.get(url)
        assert page.status_code == 403
        text = page.content.decode()
        assert "Kiosk chưa được ghép nối" in text and "Cán bộ tiếp nhận của chi nhánh cần đăng nhập" in text
        assert 'name="national_id"' not in text
    assert client.post(kiosk_url(hall.point), ticket_form(hall, 1)).status_code == 403
    assert client.post(kiosk_url(hall.point, "check-in/"), {"reference": citizen_id(1)}).status_code == 403
    assert not Ticket.objects.exists() and not PersonDayQuota.objects.exists()


def test_the_unpaired_page_speaks_english_when_asked(client, hall):
    page = client.get(kiosk_url(hall.point), headers={"Accept-Language": "en"}).content.decode()
    assert "Kiosk not paired" in page and "must sign in on this device" in page


def test_an_officer_pairs_the_kiosk_once_and_it_works_after_signing_out(client, hall):
    client.force_login(hall.officer)
    page = client.get(kiosk_url(hall.point)).content.decode()
    assert 'id="pairing-panel"' in page and "Ghép nối thiết bị này" in page
    response = client.post("/queue/devices/pair/", {"kind": "kiosk", "target": hall.point.pk,
                                                    "name": "  Kiosk   cửa chính "})
    assert response.status_code == 302 and response["Location"] == kiosk_url(hall.point)
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and int(cookie["max-age"]) > 300 * 24 * 3600
    device = Device.objects.get()
    assert (device.kind, device.service_point, device.counter, device.name, device.created_by) == (
        "kiosk", hall.point, None, "Kiosk cửa chính", hall.officer)
    assert device.key_hash == Device.hash_key(cookie.value) and cookie.value not in str(device.__dict__)
    assert [e.action for e in history_of("queueing.Device", device.pk)] == ["device.paired"]

    client.logout()
    client.cookies[DEVICE_COOKIE] = cookie.value
    page = client.get(kiosk_url(hall.point)).content.decode()
    assert "Lấy số thứ tự" in page and "pairing-panel" not in page and "Bàn đón tiếp" not in page
    response = client.post(kiosk_url(hall.point), ticket_form(hall, 1))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.source == "kiosk" and ticket.device == f"kiosk-{device.pk}"
    assert ticket.issued_by is None and ticket.priority_confirmed is None
    assert client.get(kiosk_url(hall.point, "check-in/")).status_code == 200


def test_pairing_needs_an_officer_of_the_branch_and_sane_input(client, hall):
    response = client.post("/queue/devices/pair/", {"kind": "kiosk", "target": hall.point.pk})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(hall.outsider)
    response = client.post("/queue/devices/pair/", {"kind": "kiosk", "target": hall.point.pk})
    assert response.status_code == 403 and "Chỉ cán bộ tiếp nhận của chi nhánh" in response.content.decode()
    assert DEVICE_COOKIE not in response.cookies
    client.force_login(hall.officer)
    for form in ({}, {"kind": "robot", "target": hall.point.pk}, {"kind": "kiosk", "target": "x"},
                 {"kind": "kiosk", "target": "99999"}, {"kind": "tablet", "target": "99999"},
                 {"kind": "kiosk", "target": "1" * 40}):
        assert client.post("/queue/devices/pair/", form).status_code == 404, form
    assert client.get("/queue/devices/pair/").status_code == 405
    assert not Device.objects.exists()


def test_a_kiosk_works_only_at_its_own_service_point(kiosk_client, hall):
    other = make_point(hall.branch, "cn-1-khac", name="Điểm khác", address="Số 2")
    assert kiosk_client.get(kiosk_url(other)).status_code == 403
    assert kiosk_client.post(kiosk_url(other), ticket_form(hall, 1)).status_code == 403
    response = api_ticket(kiosk_client, other, 1)
    assert response.status_code == 403 and response.json()["code"] == "device_wrong_service_point"
    assert not Ticket.objects.exists()


def test_a_revoked_kiosk_is_refused_at_once(kiosk_client, hall, kiosk):
    devices.revoke_device(kiosk.device, user=hall.officer)
    assert kiosk_client.get(kiosk_url(hall.point)).status_code == 403
    response = api_ticket(kiosk_client, hall.point, 1)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert not Ticket.objects.exists()
    assert [e.action for e in history_of("queueing.Device", kiosk.device.pk)] == ["device.paired", "device.revoked"]


def test_pairing_a_browser_again_replaces_what_it_was(client, hall):
    client.force_login(hall.officer)
    first = client.post("/queue/devices/pair/", {"kind": "tablet", "target": hall.counters[0].pk})
    client.cookies[DEVICE_COOKIE] = first.cookies[DEVICE_COOKIE].value
    second = client.post("/queue/devices/pair/", {"kind": "kiosk", "target": hall.point.pk})
    tablet, kiosk = Device.objects.order_by("pk")
    assert tablet.kind == "tablet" and tablet.revoked_at is not None and kiosk.revoked_at is None
    assert second.cookies[DEVICE_COOKIE].value != first.cookies[DEVICE_COOKIE].value


def test_the_officer_unpairs_a_kiosk_and_others_cannot(kiosk_client, hall, kiosk):
    kiosk_client.force_login(hall.outsider)
    assert kiosk_client.post(f"/queue/devices/{kiosk.device.pk}/revoke/").status_code == 403
    assert kiosk_client.post("/queue/devices/999999/revoke/").status_code == 404
    kiosk_client.force_login(hall.officer)
    kiosk_client.cookies[DEVICE_COOKIE] = kiosk.key
    page = kiosk_client.get(kiosk_url(hall.point)).content.decode()
    assert 'id="pairing-bar"' in page and "Kiosk cửa chính" in page
    response = kiosk_client.post(f"/queue/devices/{kiosk.device.pk}/revoke/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == kiosk_url(hall.point)
    assert response.cookies[DEVICE_COOKIE].value == ""
    kiosk.device.refresh_from_db()
    assert kiosk.device.revoked_by == hall.officer


def test_pairing_with_a_key_typed_on_the_device(client, hall, kiosk):
    page = client.get(f"/queue/devices/pair-with-key/?key={kiosk.key}")
    assert page.status_code == 200 and kiosk.key in page.content.decode() and DEVICE_COOKIE not in page.cookies
    for key in ("", "dk_wrong", "x" * 5000, "\u00e9\u00e8"):
        response = client.post("/queue/devices/pair-with-key/", {"key": key})
        assert response.status_code == 422 and "Khóa thiết bị không đúng" in response.content.decode()
        assert DEVICE_COOKIE not in response.cookies
    response = client.post("/queue/devices/pair-with-key/", {"key": f"  {kiosk.key} "})
    assert response.status_code == 302 and response["Location"] == kiosk_url(hall.point)
    assert response.cookies[DEVICE_COOKIE].value == kiosk.key


def test_guessing_device_keys_is_limited(client, hall, settings):
    settings.MOTCUA_LOGIN_RATE = "3/m"
    statuses = [client.post("/queue/devices/pair-with-key/", {"key": f"dk_{n}"}).status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]


def test_neither_pairing_nor_using_a_kiosk_logs_its_key(client, hall, written_logs):
    client.force_login(hall.officer)
    key = client.post("/queue/devices/pair/", {"kind": "kiosk", "target": hall.point.pk}).cookies[DEVICE_COOKIE].value
    client.logout()
    client.cookies[DEVICE_COOKIE] = key
    client.post(kiosk_url(hall.point), ticket_form(hall, 1))
    api_ticket(Client(), hall.point, 2, **{"X-Device-Key": key})
    assert Ticket.objects.count() == 2
    assert key not in written_logs.getvalue() and citizen_id(1) not in written_logs.getvalue()


# --- limits ------------------------------------------------------------------------------------------


def test_the_per_client_limit_applies_to_the_kiosk_page_and_the_api_together(kiosk_client, hall, settings):
    settings.MOTCUA_TICKET_RATE = "3/m"
    settings.MOTCUA_TICKET_DEVICE_RATE = "100/m"
    assert kiosk_client.post(kiosk_url(hall.point), ticket_form(hall, 1)).status_code == 302
    assert kiosk_client.post(kiosk_url(hall.point), {"group": "x"}).status_code == 200  # refused input counts too
    assert api_ticket(kiosk_client, hall.point, 2).status_code == 201
    page = kiosk_client.post(kiosk_url(hall.point), ticket_form(hall, 3))
    assert page.status_code == 429 and "Quá nhiều yêu cầu" in page.content.decode()
    response = api_ticket(kiosk_client, hall.point, 4)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited" and response["Retry-After"]
    assert kiosk_client.post(kiosk_url(hall.point, "check-in/"), {"reference": citizen_id(1)}).status_code == 429
    assert Ticket.objects.count() == 2


def test_the_per_client_limit_holds_for_staff_at_the_reception_desk(client, hall, settings):
    settings.MOTCUA_TICKET_RATE = "2/m"
    client.force_login(hall.officer)
    statuses = [client.post(kiosk_url(hall.point), ticket_form(hall, n)).status_code for n in range(1, 4)]
    assert statuses == [302, 302, 429]


def test_the_per_kiosk_limit_holds_whatever_the_address(client, hall, kiosk, settings):
    settings.MOTCUA_TICKET_RATE = "100/m"
    settings.MOTCUA_TICKET_DEVICE_RATE = "2/m"
    client.cookies[DEVICE_COOKIE] = kiosk.key
    first = client.post(kiosk_url(hall.point), ticket_form(hall, 1), REMOTE_ADDR="198.51.100.1")
    second = api_ticket(client, hall.point, 2, **{"X-Device-Key": kiosk.key})
    third = api_ticket(Client(REMOTE_ADDR="198.51.100.3"), hall.point, 3, **{"X-Device-Key": kiosk.key})
    fourth = client.post(kiosk_url(hall.point), ticket_form(hall, 4), REMOTE_ADDR="198.51.100.4")
    assert (first.status_code, second.status_code, third.status_code, fourth.status_code) == (302, 201, 429, 429)
    assert Ticket.objects.count() == 2


# --- the API -----------------------------------------------------------------------------------------


def test_an_anonymous_caller_gets_401_not_a_csrf_error(hall):
    browser = Client(enforce_csrf_checks=True)
    browser.get(kiosk_url(hall.point))  # an anonymous session and CSRF cookie change nothing
    for headers in ({}, {"X-Device-Key": "dk_guess"}, {"X-Device-Key": ""}, {"Authorization": "Bearer nope"}):
        response = api_ticket(browser, hall.point, 1, **headers)
        assert response.status_code == 401, (headers, response.content)
        assert response.json() == {"code": "not_authenticated", "message": "Cần đăng nhập.", "details": None}
    assert not Ticket.objects.exists() and not PersonDayQuota.objects.exists()


def test_a_paired_kiosk_calls_the_api_with_its_key_and_no_csrf_token(hall, kiosk):
    response = api_ticket(Client(enforce_csrf_checks=True), hall.point, 1, **{"X-Device-Key": kiosk.key})
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert response.json()["source"] == "kiosk" and ticket.device == f"kiosk-{kiosk.device.pk}"
    assert ticket.issued_by is None


def test_a_tablet_key_is_not_a_kiosk_key(hall):
    tablet = devices.pair_device(user=hall.officer, kind="tablet", service_point=hall.point, counter=hall.counters[0])
    response = api_ticket(Client(), hall.point, 1, **{"X-Device-Key": tablet.key})
    assert response.status_code == 401 and not Ticket.objects.exists()


def test_staff_issue_with_their_token_or_their_session_and_csrf_token(hall):
    key = "mc_reception-desk-token"
    ApiToken.objects.create(user=hall.officer, prefix=key[:10], key_hash=ApiToken.hash_key(key),
                            expires_at=hall.clock.now().replace(year=2099))
    response = api_ticket(Client(enforce_csrf_checks=True), hall.point, 1, Authorization=f"Bearer {key}")
    assert response.status_code == 201 and response.json()["source"] == "reception"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hall.officer)
    refused = api_ticket(browser, hall.point, 2)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed" and refused.json()["message"]
    browser.get(kiosk_url(hall.point))
    accepted = api_ticket(browser, hall.point, 2, **{"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert accepted.status_code == 201 and accepted.json()["source"] == "reception"


def test_a_signed_in_user_who_is_not_an_officer_of_the_branch_is_not_a_kiosk(client, hall):
    citizen = User.objects.create_user("congdan", password="x")
    for user in (hall.outsider, citizen):
        client.force_login(user)
        response = api_ticket(client, hall.point, 1)
        assert response.status_code == 403 and response.json()["code"] == "not_branch_officer"
    assert not Ticket.objects.exists()


def test_the_schema_says_exactly_who_may_take_a_number():
    from motcua.api import api

    schema = api.get_openapi_schema()
    assert schema["components"]["securitySchemes"]["DeviceKey"] == {
        "type": "apiKey", "in": "header", "name": "X-Device-Key"}
    operation = schema["paths"]["/api/service-points/{point_id}/tickets"]["post"]
    assert operation["security"] == [{"DeviceKey": []}, {"BearerToken": []}, {"SessionAuth": []}]
    assert {401, 403, 429} <= set(operation["responses"])


def test_the_counter_state_schema_has_its_own_name():
    from motcua.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "CounterOut" not in schemas
    assert set(schemas["CounterStateOut"]["properties"]) == {"number", "status", "ticket", "serving"}
    assert schemas["BoardOut"]["properties"]["counters"]["items"] == {"$ref": "#/components/schemas/CounterStateOut"}
    assert {"number", "kind"} <= set(schemas["ServicePointCounterOut"]["properties"])


# --- the admin ---------------------------------------------------------------------------------------


def test_an_administrator_sees_and_revokes_devices_in_the_admin(client, hall, kiosk):
    admin = User.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    listing = client.get("/admin/queueing/device/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Kiosk cửa chính" in text and kiosk.device.key_prefix in text and kiosk.key not in text
    assert client.get(f"/admin/queueing/device/{kiosk.device.pk}/change/").status_code == 200
    assert client.get("/admin/queueing/device/add/").status_code == 403
    response = client.post("/admin/queueing/device/", {"action": "revoke", "_selected_action": [kiosk.device.pk]})
    assert response.status_code == 302
    kiosk.device.refresh_from_db()
    assert kiosk.device.revoked_at is not None and kiosk.device.revoked_by == admin
    assert api_ticket(Client(), hall.point, 1, **{"X-Device-Key": kiosk.key}).status_code == 401


def test_the_admin_speaks_english_when_asked(client, hall, kiosk):
    client.force_login(User.objects.create_superuser("quantri", password="x"))
    page = client.get("/admin/queueing/device/", headers={"Accept-Language": "en"}).content.decode()
    assert "Select paired device to change" in page and "Revoke the selected devices" in page
