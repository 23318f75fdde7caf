"""A second province from its data files alone: Đà Nẵng's center (data/provinces/da-nang) loaded into an
empty database, then the main flows run there with no code knowing it — a ticket, a dossier received
at a counter and one filed online, the slip's number and issuer, the deadline and the fee.

The data set differs from Hà Nội's where a province may differ: hours 07:30–11:30 and 13:30–17:00,
cut-off 16:00, slip prefix DN, its own agencies (codes dn-…, e-IDs …H17), communes of province 48,
a council-set fee of its own (business household registration, 100.000 đ) and a channel rule of its
own (50% online, where Hà Nội's Resolution 77/2025 waives the whole fee).
"""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from motcua.catalog.models import ChannelFeeRule, Procedure
from motcua.catalog.services import import_catalog
from motcua.core import clock, roles
from motcua.core.ids import make_national_id
from motcua.dossiers import slips
from motcua.dossiers.models import Dossier, SlipNumber
from motcua.dossiers.services import intake, numbering
from motcua.org.calendars import calendar_for
from motcua.org.models import AdministrativeUnit, Agency, Branch, Center, Counter, Officer, ServicePoint
from motcua.org.selectors import home_center
from motcua.org.services import load_org_data
from motcua.org.tests.support import rows_kept_for_module
from motcua.payments.models import Invoice

DA_NANG = Path(settings.BASE_DIR) / "data" / "provinces" / "da-nang"
HANOI = Path(settings.BASE_DIR) / "data"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Tuesday 08/12/2026, 07:45: Đà Nẵng's center is open (from 07:30), Hà Nội's would not be (from 08:00).
TUESDAY_0745 = dt.datetime(2026, 12, 8, 7, 45, tzinfo=TZ)
HOUSEHOLD_BUSINESS = "1.001612"  # Đăng ký thành lập hộ kinh doanh: commune level, council-set fee
HAI_CHAU = "20242"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def da_nang(django_db_setup, django_db_blocker):
    """Đà Nẵng's data set, loaded once into the empty test database as an operator would (load_org, load_catalog)."""
    with rows_kept_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            assert not Center.objects.exists() and not AdministrativeUnit.objects.exists()
            load_org_data(DA_NANG)
            import_catalog(DA_NANG / "catalog")
        yield


@pytest.fixture
def installation(settings, da_nang, db):
    """The settings a Đà Nẵng installation runs with: its data folder, its center (no code change)."""
    settings.MOTCUA = {
        **settings.MOTCUA,
        "CENTER_CODE": "da-nang",
        "CALENDAR_FILE": DA_NANG / "calendar" / "VN.yaml",
    }
    settings.DATA_DIR = DA_NANG
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media-second-province"
    return Center.objects.select_related("province").get(code="da-nang")


@pytest.fixture
def at_tuesday_0745(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TUESDAY_0745)
    monkeypatch.setattr(clock, "today", lambda: TUESDAY_0745.date())
    return TUESDAY_0745


def _user(username: str, role: str, *, agency: Agency | None = None, branch: Branch | None = None) -> User:
    user = User.objects.create_user(username, password="pw-" + username, first_name=username)
    user.groups.add(roles.sync_roles()[role])
    if agency is not None:
        Officer.objects.create(user=user, agency=agency, branch=branch)
    return user


def _citizen_id(n: int) -> str:
    return make_national_id(province_code="048", gender="female", birth_year=1990, sequence=n)


def _files_and_shown(procedure: Procedure) -> tuple[dict[int, list], list[int]]:
    files, shown = {}, []
    for document in procedure.documents.filter(optional=False):
        if document.kind == "shown":
            shown.append(document.position)
        else:
            files[document.position] = [
                SimpleUploadedFile(f"{document.position}.pdf", PDF, content_type="application/pdf")
            ]
    return files, shown


def _household_business(channel: str = "counter", n: int = 1) -> intake.Submission:
    applicant = intake.ApplicantData(
        kind="person",
        id_number=_citizen_id(n),
        name="Nguyễn Thị Mai",
        phone="0905123456",
        commune=HAI_CHAU,
        address="10 Bạch Đằng",
    )
    return intake.Submission(
        procedure=HOUSEHOLD_BUSINESS,
        applicant=applicant,
        channel=channel,
        branch="dn-cn01" if channel == "counter" else "",
    )


def test_the_center_and_its_units_come_from_the_files_alone(installation):
    center = installation
    assert home_center() == center
    assert (center.name, center.province.code, center.province.name) == (
        "Trung tâm Phục vụ hành chính công thành phố Đà Nẵng",
        "48",
        "Thành phố Đà Nẵng",
    )
    assert (center.slip_prefix, center.e_id_suffix, center.cutoff_time) == ("DN", "H17", dt.time(16, 0))
    assert center.working_periods == [["07:30", "11:30"], ["13:30", "17:00"]]
    communes = AdministrativeUnit.objects.filter(level="commune", is_current=True)
    assert communes.count() == 94 and set(communes.values_list("parent__code", flat=True)) == {"48"}
    # Quảng Nam merged into Đà Nẵng: its former communes say where they went.
    an_xuan = AdministrativeUnit.objects.get(level="commune", code="20347", is_current=False)
    assert an_xuan.name == "Phường An Xuân" and [u.name for u in an_xuan.successors.all()] == [
        "Phường Tam Kỳ"
    ]
    assert an_xuan.parent.name == "Thành phố Tam Kỳ" and an_xuan.parent.parent.name == "Tỉnh Quảng Nam"
    assert Agency.objects.filter(kind="commune").count() == 94
    assert Branch.objects.filter(center=center).count() == 3 and ServicePoint.objects.count() == 4
    assert Counter.objects.count() == 30
    assert not Center.objects.exclude(pk=center.pk).exists()
    # The catalog subset names Đà Nẵng's agencies only.
    agencies = set(Procedure.objects.exclude(agency=None).values_list("agency__code", flat=True))
    assert agencies and all(code.startswith("dn-") for code in agencies)
    assert list(ChannelFeeRule.objects.values_list("code", flat=True)) == ["dn-truc-tuyen-50"]


def test_a_ticket_is_issued_in_da_nang_hours_with_its_group_letters(installation, at_tuesday_0745, client):
    officer = _user(
        "dn-tiep-nhan",
        roles.RECEPTION_OFFICER,
        agency=Agency.objects.get(code="dn-trung-tam"),
        branch=Branch.objects.get(code="dn-cn01"),
    )
    point = ServicePoint.objects.get(code="dn-cn01-hai-chau")
    client.force_login(officer)
    response = client.post(
        f"/api/service-points/{point.pk}/tickets",
        {"group": "A", "national_id": _citizen_id(7)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "A-001"  # Tư pháp – hộ tịch is group A at Đà Nẵng's center
    response = client.post(
        f"/api/service-points/{point.pk}/tickets",
        {"group": "D", "national_id": _citizen_id(8)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "D-001"


def test_a_dossier_received_at_a_da_nang_counter(installation, django_capture_on_commit_callbacks):
    reception = _user(
        "dn-reception",
        roles.RECEPTION_OFFICER,
        agency=Agency.objects.get(code="dn-trung-tam"),
        branch=Branch.objects.get(code="dn-cn01"),
    )
    procedure = Procedure.objects.get(code=HOUSEHOLD_BUSINESS)
    files, shown = _files_and_shown(procedure)
    sub = _household_business()
    sub.shown = shown
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake.submit_dossier(reception, sub, files, now=TUESDAY_0745)
    dossier = Dossier.objects.select_related("competent_agency", "branch__center").get(pk=dossier.pk)
    # The competent People's Committee is Hải Châu's, with an e-ID of the province's suffix.
    assert (
        dossier.competent_agency.code == f"ubnd-{HAI_CHAU}"
        and dossier.competent_agency.e_id == "202.42.99.H17"
    )
    assert re.fullmatch(r"202\.42\.99\.H17-261208-0001", dossier.code)
    # The slip is numbered in the center's own book and printed with its prefix.
    slip = SlipNumber.objects.get(dossier=dossier, form=SlipNumber.Form.RECEIPT)
    assert (slip.book, slip.number) == ("DN-CN01/2026", 1)
    assert numbering.printed_number(slip) == "0001/TNHS-DN-CN01"
    form = slips.receipt_slip(dossier)
    assert form.number == "0001/TNHS-DN-CN01"
    assert form.issuer.parent == "UBND Thành phố Đà Nẵng" and form.issuer.place == "Đà Nẵng"
    assert form.issuer.name == "Trung tâm Phục vụ hành chính công thành phố Đà Nẵng"
    assert "24 Trần Phú" in form.return_place or "Hải Châu" in form.return_place
    # The deadline: 3 working days in Đà Nẵng's hours (7.5 h a day), from 07:45 on Tuesday.
    calendar = calendar_for(installation)
    assert dossier.due_at == calendar.add_working_days(calendar.counting_start(TUESDAY_0745), 3.0)
    assert dossier.due_at.astimezone(TZ) == dt.datetime(2026, 12, 11, 7, 45, tzinfo=TZ)
    # The fee is Đà Nẵng's council-set amount; at the counter no channel reduction applies.
    invoice = Invoice.objects.get(dossier=dossier)
    assert invoice.amount == 100_000


def test_filed_online_the_fee_follows_the_provinces_own_channel_rule(installation):
    citizen = _user("dn-citizen", roles.CITIZEN)
    procedure = Procedure.objects.get(code=HOUSEHOLD_BUSINESS)
    files, shown = _files_and_shown(procedure)
    sub = _household_business(channel="online", n=2)
    dossier = intake.submit_dossier(citizen, sub, files, now=TUESDAY_0745)
    # 50% online (Đà Nẵng's rule), not the whole fee waived as Hà Nội's Resolution 77/2025 would.
    assert Invoice.objects.get(dossier=dossier).amount == 50_000


def test_a_dossier_received_after_the_da_nang_cutoff_counts_from_the_next_working_day(installation):
    reception = _user(
        "dn-reception2",
        roles.RECEPTION_OFFICER,
        agency=Agency.objects.get(code="dn-trung-tam"),
        branch=Branch.objects.get(code="dn-cn02"),
    )
    files, shown = _files_and_shown(Procedure.objects.get(code=HOUSEHOLD_BUSINESS))
    sub = _household_business(n=3)
    sub.branch, sub.shown = "dn-cn02", shown
    # 15:30 is before Đà Nẵng's 16:00 cut-off (after Hà Nội's 15:00): counting starts at once.
    before = intake.submit_dossier(reception, sub, files, now=TUESDAY_0745.replace(hour=15, minute=30))
    calendar = calendar_for(installation)
    assert calendar.counting_start(before.received_at) == before.received_at
    sub.applicant.id_number = _citizen_id(4)
    after = intake.submit_dossier(
        reception, sub, _files_and_shown(before.procedure)[0], now=TUESDAY_0745.replace(hour=16, minute=15)
    )
    assert calendar.counting_start(after.received_at).astimezone(TZ) == dt.datetime(
        2026, 12, 9, 7, 30, tzinfo=TZ
    )
    assert SlipNumber.objects.get(dossier=after, form="01").book == "DN-CN02/2026"


def test_both_provinces_data_validate_and_live_side_by_side(installation):
    """Hà Nội's data set loads beside Đà Nẵng's (one installation): no code or entry clashes, and each
    center keeps its own slip books."""
    with transaction.atomic():
        load_org_data(HANOI)
        import_catalog(HANOI / "catalog")
        hanoi = Center.objects.get(code="hanoi")
        assert hanoi.province.code == "01" and hanoi.slip_prefix == ""
        assert (
            numbering.book_of(Branch.objects.select_related("center").get(center=hanoi, number=1), 2026)
            == "CN01/2026"
        )
        assert numbering.book_of(Branch.objects.get(code="dn-cn01"), 2026) == "DN-CN01/2026"
        assert Center.objects.count() == 2 and Agency.objects.filter(kind="commune").count() == 126 + 94
        # Loading Đà Nẵng's organisation again changes nothing of Hà Nội's.
        reports = load_org_data(DA_NANG)
        assert not any(report.changed for report in reports)
        assert Branch.objects.filter(center=hanoi, is_active=True).count() == 12
        transaction.set_rollback(True)


def test_the_province_calendar_keeps_every_national_decision():
    national = yaml.safe_load((HANOI / "calendar" / "VN.yaml").read_text(encoding="utf-8"))
    province = yaml.safe_load((DA_NANG / "calendar" / "VN.yaml").read_text(encoding="utf-8"))
    assert province["country"] == national["country"]
    assert province["decisions"][: len(national["decisions"])] == national["decisions"]


def test_the_assistant_quotes_a_dossier_code_of_the_province(installation):
    from motcua.assistant.services import answer

    reply = answer("hồ sơ 202.42.99.H17-261208-0001 đến đâu rồi")  # a code without its key
    assert reply.intent == "status"
    assert "ví dụ: 000.00.06.H17-251027-0361" in reply.answer and "H26" not in reply.answer


def test_pages_show_the_centers_own_motto(installation, client):
    from django.core.cache import cache

    cache.clear()
    page = client.get("/branches/").content.decode()
    assert "<small>Đà Nẵng – Phục vụ người dân, doanh nghiệp</small>" in page
    assert "Tận tâm phục vụ" not in page and "Chi nhánh số 3 – Hội An" in page
