import json
import urllib.parse

import pytest
from django.contrib.auth.models import User
from django.test import Client

from motcua.catalog.models import Fee, FeeExemption
from motcua.core import roles
from motcua.dossiers.tests.conftest import _media, land_payload, submit, world  # noqa: F401 (fixtures)
from motcua.integrations.payment_gateway import views as fake_views
from motcua.integrations.payment_gateway.fake import FakeVnpay
from motcua.org.models import Officer


@pytest.fixture
def fees(world):
    """The land procedure charges 80,000 đ (and a 20,000 đ fee per extra copy, on request)."""
    fee = Fee.objects.create(procedure=world.land, position=1, name="Phí đăng ký giao dịch bảo đảm", kind="fee",
                             amount=80_000)
    FeeExemption.objects.create(fee=fee, code="agri-loan", name="Vay vốn phát triển nông nghiệp, nông thôn",
                                evidence="Hợp đồng tín dụng")
    Fee.objects.create(procedure=world.land, position=2, name="Phí cấp bản sao", kind="fee", amount=20_000,
                       basis="per_unit", optional=True)
    return world


@pytest.fixture
def fee_officer(world):
    user = User.objects.create_user("thuphi", password="pw-thuphi", first_name="Thu", last_name="Phí")
    user.groups.add(roles.sync_roles()[roles.FEE_OFFICER])
    Officer.objects.create(user=user, agency=world.center_agency, branch=world.branch)
    return user


def received(client, world, *, pay_first=False):
    """A land dossier received at the counter; its code."""
    if pay_first:
        world.land.pay_before_processing = True
        world.land.save(update_fields=["pay_before_processing"])
    response = submit(client, world.reception, land_payload())
    assert response.status_code == 201, response.content
    return response.json()["code"]


class Ipn:
    """The fake gateway's transport in tests: each IPN through Django's test client, answers kept."""

    def __init__(self):
        self.client = Client()
        self.answers: list[dict] = []

    def __call__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        response = self.client.get(f"{parts.path}?{parts.query}")
        assert response.status_code == 200
        self.answers.append(json.loads(response.content))


@pytest.fixture
def ipn():
    transport = Ipn()
    fake_views.set_transport(transport)
    yield transport
    fake_views.set_transport(fake_views.http_get)


@pytest.fixture
def gateway(ipn, settings):
    return FakeVnpay(tmn_code=settings.MOTCUA_VNPAY_TMN_CODE, hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET,
                     transport=ipn)


def order_of(payment_url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(payment_url).query))
