"""One contract, three implementations: the in-process fake, and the HTTP client against the fake endpoint."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.integrations.population_registry import PersonRecord, PopulationRegistry, RegistryUnavailable
from motcua.integrations.population_registry.client import HttpPopulationRegistry
from motcua.integrations.population_registry.fake import LocalRegistry
from motcua.integrations.population_registry.registry import get_registry
from motcua.org.models import AdministrativeUnit, Person

KNOWN = "001090001234"
UNKNOWN = "001090009999"


URL = "/fake/population-registry/citizens/lookup"


def lookup(client, national_id):
    return client.post(URL, {"national_id": national_id}, content_type="application/json")


@pytest.fixture
def known_person(db):
    commune = AdministrativeUnit.objects.create(level="commune", code="00001", name="Phường Ba Đình")
    return Person.objects.create(national_id=KNOWN, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                                 gender="male", commune=commune, address="1 Điện Biên Phủ", phone="0912345678")


@pytest.fixture
def http_fake(settings, live_server):
    settings.MOTCUA_FAKE_POPULATION_REGISTRY = True
    return HttpPopulationRegistry(f"{live_server.url}/fake/population-registry")


def check_contract(registry: PopulationRegistry):
    assert isinstance(registry, PopulationRegistry)
    record = registry.lookup(KNOWN)
    assert record == PersonRecord(national_id=KNOWN, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                                  gender="male", commune_code="00001", address="1 Điện Biên Phủ")
    assert registry.lookup(UNKNOWN) is None


def test_in_process_fake_honours_the_contract(known_person):
    check_contract(LocalRegistry())


def test_in_process_fake_honours_the_contract_from_its_own_records():
    """Given its records, the fake needs no database and no app."""
    record = PersonRecord(national_id=KNOWN, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                          gender="male", commune_code="00001", address="1 Điện Biên Phủ")
    check_contract(LocalRegistry({KNOWN: record}))


@pytest.mark.django_db(transaction=True)
def test_http_client_against_fake_endpoint_honours_the_contract(known_person, http_fake):
    check_contract(http_fake)


@pytest.mark.django_db(transaction=True)
def test_fake_endpoint_checks_the_token_when_one_is_set(known_person, http_fake, settings):
    settings.MOTCUA_POPULATION_REGISTRY_TOKEN = "shared-secret"
    with pytest.raises(RegistryUnavailable):
        http_fake.lookup(KNOWN)
    authorised = HttpPopulationRegistry(http_fake.base_url, token="shared-secret")
    assert authorised.lookup(KNOWN).full_name == "Nguyễn Văn An"


def test_record_never_carries_the_phone_number(known_person):
    assert "phone" not in LocalRegistry().lookup(KNOWN).to_json()


def test_fake_endpoint_is_closed_unless_enabled(client, known_person, settings):
    settings.DEBUG = False
    settings.MOTCUA_FAKE_POPULATION_REGISTRY = False
    assert lookup(client, KNOWN).status_code == 404
    settings.MOTCUA_FAKE_POPULATION_REGISTRY = True
    assert lookup(client, KNOWN).status_code == 200


def test_fake_endpoint_is_closed_in_production_even_with_debug(client, known_person, settings):
    settings.PRODUCTION = True
    settings.DEBUG = True
    settings.MOTCUA_FAKE_POPULATION_REGISTRY = True
    assert lookup(client, KNOWN).status_code == 404


def test_fake_endpoint_rejects_bad_requests(client, settings):
    settings.MOTCUA_FAKE_POPULATION_REGISTRY = True
    assert client.post(URL, "nope", content_type="application/json").status_code == 400
    assert client.post(URL, {"national_id": 1}, content_type="application/json").status_code == 400
    assert client.get(URL).status_code == 405


def test_get_registry_follows_the_setting(settings):
    settings.MOTCUA_POPULATION_REGISTRY_URL = None
    assert isinstance(get_registry(), LocalRegistry)
    settings.MOTCUA_POPULATION_REGISTRY_URL = "https://registry.example/api"
    registry = get_registry()
    assert isinstance(registry, HttpPopulationRegistry) and registry.base_url == "https://registry.example/api"


class _Scripted(BaseHTTPRequestHandler):
    status = 500
    body = b"{}"

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted_server():
    server = HTTPServer(("127.0.0.1", 0), _Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.mark.parametrize(("status", "body"), [
    (500, b"{}"),
    (200, b"not json"),
    (200, b"[1, 2]"),
    (200, json.dumps({"national_id": KNOWN}).encode()),
    (200, json.dumps({"national_id": UNKNOWN, "full_name": "X"}).encode()),
    (200, json.dumps({"national_id": KNOWN, "full_name": "X", "birth_date": "1990-13-40"}).encode()),
])
def test_http_client_reports_unavailable_on_bad_answers(scripted_server, status, body):
    _Scripted.status, _Scripted.body = status, body
    client = HttpPopulationRegistry(f"http://127.0.0.1:{scripted_server.server_port}")
    with pytest.raises(RegistryUnavailable):
        client.lookup(KNOWN)


def test_http_client_reports_unavailable_when_unreachable():
    client = HttpPopulationRegistry("http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(RegistryUnavailable):
        client.lookup(KNOWN)


def test_http_client_refuses_other_schemes():
    with pytest.raises(ValueError):
        HttpPopulationRegistry("file:///etc/passwd")
