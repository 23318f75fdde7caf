"""The wallet and life events API: the caller's own papers only, masked numbers, filing with the wallet."""

import json

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.models import WalletShare
from motcua.portal.services import wallet

from .conftest import pdf
from .test_life_events import EVENT, _no_renewals, write  # noqa: F401
from .test_wallet import LICENCE

pytestmark = pytest.mark.django_db


def test_the_wallet_api_lists_adds_opens_and_removes_the_callers_papers(
    client, citizen, other_citizen, world
):
    client.force_login(citizen)
    added = client.post(
        "/api/me/documents",
        {
            "kind": "passport",
            "title": "Hộ chiếu",
            "number": "C7654321",
            "expires_on": "2030-02-03",
            "file": pdf(),
        },
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["number_masked"] == "****4321" and body["expires_on"] == "2030-02-03"
    listing = client.get("/api/me/documents").json()
    assert [d["id"] for d in listing] == [body["id"]] and "C7654321" not in json.dumps(listing)
    assert client.get(f"/api/me/documents/{body['id']}/file").status_code == 200
    bad = client.post(
        "/api/me/documents", {"kind": "passport", "title": "X", "expires_on": "03/02/2030", "file": pdf()}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_date"
    client.force_login(other_citizen)
    assert client.get("/api/me/documents").json() == []
    assert client.get(f"/api/me/documents/{body['id']}/file").status_code == 404
    assert client.delete(f"/api/me/documents/{body['id']}").status_code == 404
    client.force_login(world.director)
    assert client.get("/api/me/documents").status_code == 403
    client.logout()
    assert client.get("/api/me/documents").status_code == 401
    client.force_login(citizen)
    assert client.delete(f"/api/me/documents/{body['id']}").status_code == 204
    assert client.get("/api/me/documents").json() == []


def test_filing_and_repeating_through_the_api(client, citizen, world):
    paper = wallet.add_paper(citizen, LICENCE, pdf())
    client.force_login(citizen)
    data = {
        "procedure": "1.004227",
        "applicant": {"address": "5 Hàng Bài"},
        "wallet": {"2": [f"w:{paper.pk}"]},
    }
    filed = client.post("/api/me/wallet/filings", {"data": json.dumps(data), "document.1": pdf("phieu.pdf")})
    assert filed.status_code == 201, filed.content
    code = filed.json()["code"]
    assert WalletShare.objects.get().dossier.code == code
    assert Dossier.objects.get(code=code).applicant_name == "Nguyễn Văn An"
    repeat = client.get(f"/api/me/repeat/{code}").json()
    assert repeat["procedure"] == "1.004227" and repeat["applicant"]["address"] == "5 Hàng Bài"
    assert repeat["wallet"]["2"] == [f"w:{paper.pk}"] and repeat["wallet"]["1"][0].startswith("d:")
    missing = client.post("/api/me/wallet/filings", {"data": json.dumps({"procedure": "1.004227"})})
    assert missing.status_code == 422 and missing.json()["code"] == "dossier_invalid"
    assert client.post("/api/me/wallet/filings", {"data": "{"}).status_code == 422


def test_life_events_api(client, world, citizen, tmp_path):
    from motcua.portal.services.life_events import load_life_events

    load_life_events(write(tmp_path / "ev", "a.yaml", EVENT))
    events = client.get("/api/life-events").json()
    assert events[0]["code"] == "mua-nha" and [s["procedure"] for s in events[0]["steps"]] == [
        "1.004227",
        "1.001193",
    ]
    assert client.get("/api/life-events/mua-nha").json()["steps"][0]["note"] == "Khi vay ngân hàng."
    assert client.get("/api/life-events/khong").status_code == 404
    assert client.get("/api/me/life-events").status_code == 401
    client.force_login(citizen)
    mine = client.get("/api/me/life-events").json()
    assert [s["status"] for s in mine[0]["steps"]] == ["todo", "todo"]
