"""A small center: one branch, a department, a commune, two procedures, and one user per role."""

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Field, Procedure, RequiredDocument, RouteStep
from motcua.core import roles
from motcua.integrations.population_registry import registry as registry_module
from motcua.org.models import AdministrativeUnit, Agency, Branch, Center, Officer, Person

KNOWN_ID = "001090001234"  # in the registry (org.Person)
OTHER_ID = "001190005678"  # valid, unknown to the registry
TAX_CODE = "0100109106"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(name="to-khai.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class World:
    center: Center
    branch: Branch
    other_branch: Branch
    center_agency: Agency
    department: Agency
    other_department: Agency
    commune_agency: Agency
    commune: AdministrativeUnit
    land: Procedure
    birth: Procedure
    reception: User
    other_reception: User
    officer: User
    other_officer: User
    commune_officer: User
    leader: User
    director: User
    citizen: User
    admin: User


def _user(name, role, *, agency=None, branch=None, groups=None):
    user = User.objects.create_user(name, password="pw-" + name, first_name=name)
    user.groups.add(groups[role])
    if agency is not None:
        Officer.objects.create(user=user, agency=agency, branch=branch)
    return user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    registry_module.set_registry(None)
    yield
    registry_module.set_registry(None)


@pytest.fixture
def world(db) -> World:
    groups = roles.sync_roles()
    province = AdministrativeUnit.objects.create(level="province", code="01", name="Hà Nội")
    commune = AdministrativeUnit.objects.create(level="commune", code="00004", name="Phường Ba Đình", parent=province)
    center = Center.objects.create(code="hanoi", name="Trung tâm PVHCC Hà Nội", short_name="TT", province=province,
                                   e_id_suffix="H26", working_periods=[["08:00", "12:00"], ["13:00", "17:00"]])
    branch = Branch.objects.create(center=center, number=1, code="cn1", name="Chi nhánh số 1")
    other_branch = Branch.objects.create(center=center, number=2, code="cn2", name="Chi nhánh số 2")
    center_agency = Agency.objects.create(code="trung-tam", name="Trung tâm", short_name="TT", kind="center",
                                          e_id="000.00.01.H26")
    department = Agency.objects.create(code="so-nn", name="Sở Nông nghiệp và Môi trường", short_name="Sở NN&MT",
                                       kind="department", e_id="000.00.11.H26")
    other_department = Agency.objects.create(code="so-xd", name="Sở Xây dựng", short_name="Sở XD",
                                             kind="department", e_id="000.00.04.H26")
    commune_agency = Agency.objects.create(code="ubnd-ba-dinh", name="UBND phường Ba Đình", short_name="UBND Ba Đình",
                                           kind="commune", e_id="000.30.01.H26", commune=commune)
    field = Field.objects.create(code="dat-dai", name="Đất đai")
    land = Procedure.objects.create(code="1.004227", name="Đăng ký thế chấp quyền sử dụng đất", field=field,
                                    level="province", agency=department, processing_days=Decimal(3))
    RequiredDocument.objects.create(procedure=land, position=1, name="Phiếu yêu cầu đăng ký")
    RequiredDocument.objects.create(procedure=land, position=2, name="Hợp đồng thế chấp", kind="certified_copy")
    RequiredDocument.objects.create(procedure=land, position=3, name="Giấy ủy quyền", optional=True)
    RequiredDocument.objects.create(procedure=land, position=4, name="Căn cước", kind="shown")
    for position, name, role, scope, hours in [(1, "Tiếp nhận", "reception", "center", 2),
                                               (2, "Thẩm định", "agency_officer", "competent", 8),
                                               (3, "Ký duyệt", "branch_leader", "center", 2)]:
        RouteStep.objects.create(procedure=land, position=position, name=name, role=role, scope=scope, hours=hours)
    birth = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                                     competent_by_commune=True, processing_days=Decimal(1))
    RequiredDocument.objects.create(procedure=birth, position=1, name="Tờ khai đăng ký khai sinh")
    RequiredDocument.objects.create(procedure=birth, position=2, name="Giấy xác nhận cư trú", registry_replaces=True)
    for position, name, role, scope, hours in [(1, "Tiếp nhận", "reception", "center", 1),
                                               (2, "Xử lý", "agency_officer", "competent", 4)]:
        RouteStep.objects.create(procedure=birth, position=position, name=name, role=role, scope=scope, hours=hours)
    Person.objects.create(national_id=KNOWN_ID, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                          gender="male", commune=commune, address="1 Điện Biên Phủ", phone="0912345678")
    g = groups
    return World(
        center=center, branch=branch, other_branch=other_branch, center_agency=center_agency, department=department,
        other_department=other_department, commune_agency=commune_agency, commune=commune, land=land, birth=birth,
        reception=_user("reception", roles.RECEPTION_OFFICER, agency=center_agency, branch=branch, groups=g),
        other_reception=_user("reception2", roles.RECEPTION_OFFICER, agency=center_agency, branch=other_branch,
                              groups=g),
        officer=_user("officer", roles.AGENCY_OFFICER, agency=department, groups=g),
        other_officer=_user("officer2", roles.AGENCY_OFFICER, agency=other_department, groups=g),
        commune_officer=_user("commune", roles.AGENCY_OFFICER, agency=commune_agency, groups=g),
        leader=_user("leader", roles.BRANCH_LEADER, agency=center_agency, branch=branch, groups=g),
        director=_user("director", roles.CENTER_DIRECTOR, groups=g),
        citizen=_user("citizen", roles.CITIZEN, groups=g),
        admin=_user("admin", roles.SYSTEM_ADMIN, groups=g),
    )


def land_payload(**overrides):
    payload = {"procedure": "1.004227",
               "applicant": {"kind": "person", "id_number": OTHER_ID, "name": "Trần Thị Bình", "phone": "0987654321"},
               "shown": [4]}
    payload.update(overrides)
    return payload


def land_files():
    return {"document.1": pdf("phieu.pdf"), "document.2": SimpleUploadedFile("hd.png", png_bytes())}


def submit(client, user, payload=None, files=None):
    client.force_login(user)
    data = {"data": json.dumps(payload or land_payload())}
    data.update(land_files() if files is None else files)
    return client.post("/api/dossiers", data)


def act(client, user, code, action, body=None, files=None):
    client.force_login(user)
    if files is not None:
        return client.post(f"/api/dossiers/{code}/actions/{action}", {"data": json.dumps(body or {}), **files})
    return client.post(f"/api/dossiers/{code}/actions/{action}", body or {}, content_type="application/json")
