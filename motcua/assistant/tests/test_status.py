"""A dossier's status through the assistant: only with its tracking key, never more than public tracking."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import OTHER_ID, act, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client, world):
    code = submit(client, world.reception).json()["code"]
    act(client, world.reception, code, "forward")
    client.logout()
    return code


def test_code_and_key_give_the_public_status(code, ask):
    key = Dossier.objects.get(code=code).printed_tracking_key
    body = ask(f"hồ sơ {code} mã tra cứu {key} đến đâu rồi").json()
    assert body["intent"] == "status"
    assert code in body["answer"] and "Thẩm định" in body["answer"] and "Hẹn trả kết quả" in body["answer"]
    assert body["links"] == [{"title": "Tra cứu hồ sơ", "url": f"/tracking/{code}/"}]
    for secret in (OTHER_ID, "0987654321", "Trần Thị Bình", key):
        assert secret not in body["answer"]


def test_a_wrong_key_reveals_nothing(code, ask):
    body = ask(f"hồ sơ {code} mã ABCDE-12345").json()
    assert body["intent"] == "status" and "Không tìm thấy" in body["answer"]
    other = ask("hồ sơ 000.00.99.H26-250101-0001 mã ABCDE-12345").json()
    assert other["answer"] == body["answer"].replace(code, "000.00.99.H26-250101-0001")


def test_a_code_without_its_key_asks_for_the_key(code, ask):
    body = ask(f"hồ sơ {code} của tôi").json()
    assert body["intent"] == "status" and "mã tra cứu" in body["answer"] and code not in body["answer"]


def test_the_per_dossier_tracking_budget_holds_through_the_assistant(code, ask, settings):
    settings.MOTCUA_TRACKING_CODE_RATE = "2/d"
    for _ in range(2):
        assert ask(f"hồ sơ {code} mã ABCDE-12345").status_code == 200
    assert ask(f"hồ sơ {code} mã ABCDE-12345").status_code == 429
