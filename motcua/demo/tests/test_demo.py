"""`manage.py demo`: accounts per role, generated citizens, idempotence, summary, removal."""

import re
from collections import Counter as Tally
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from motcua.catalog import services as catalog_services
from motcua.core.checks import assert_production_safe
from motcua.core.ids import parse_national_id
from motcua.core.models import DemoAccount
from motcua.demo import services
from motcua.demo.management.commands.demo import Command, national_catalog_default
from motcua.org.models import Branch, Center, Officer, Person
from motcua.org.tests.support import dump_tables, rows_kept_for_module
from motcua.queueing.models import Device

pytestmark = pytest.mark.django_db
ROLES = {"citizen": "citizen", "reception": "reception_officer", "thuphi": "fee_officer", "agency": "agency_officer",
         "agency-leader": "agency_leader",
         "leader": "branch_leader", "director": "center_director", "admin": "system_admin"}
ACCOUNTS = settings.DATA_DIR / "demo" / "accounts.yaml"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (without the large national catalog)."""
    with rows_kept_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            out = StringIO()
            call_command("demo", "--no-national", "--history-days", "10", "--queue-history-days", "5", stdout=out,
                         stderr=StringIO())
        yield out.getvalue()


def generated_people():
    return Person.objects.filter(national_id__in=[c.national_id for c in services.generate_citizens()])


def test_one_account_per_role_with_its_group(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    assert users.keys() == ROLES.keys()
    for username, role in ROLES.items():
        user = users[username]
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert DemoAccount.objects.get(user=user).role == role
        assert user.is_staff == (role != "citizen")
        assert user.is_superuser == (role == "system_admin")
        assert user.get_full_name()


def test_every_demo_account_logs_in_with_demo(demo):
    # Logins pass the request: the lockout (django-axes) counts failures per username from it.
    request = RequestFactory().post("/login/")
    for username in ROLES:
        assert authenticate(request, username=username, password="demo") is not None, username
    assert authenticate(request, username="admin", password="wrong") is None


def test_officers_have_their_agency_and_branch(demo):
    officers = {o.user.username: o for o in Officer.objects.select_related("user", "agency", "branch")}
    assert officers["reception"].agency.kind == "center" and officers["reception"].branch.number == 1
    assert officers["agency"].agency.code == "so-tu-phap" and officers["agency"].branch is None
    assert officers["leader"].branch.number == 1
    assert officers["director"].agency.kind == "center" and officers["director"].branch is None
    assert "citizen" not in officers and "admin" not in officers


def test_about_300_generated_citizens_look_real(demo):
    people = list(generated_people().select_related("commune__parent"))
    assert len(people) == 300
    ids = [parse_national_id(p.national_id) for p in people]
    for person, parsed in zip(people, ids, strict=True):
        assert parsed.gender == person.gender and parsed.birth_year == person.birth_date.year
        assert 1940 <= person.birth_date.year <= 2007
        assert re.fullmatch(r"09\d{8}", person.phone)
        assert person.commune.is_current and person.commune.parent.code == "01"
        assert len(person.full_name.split()) >= 3
        assert person.address.endswith(f"{person.commune.name}, Thành phố Hà Nội")
    provinces = Tally(p.province_code for p in ids)
    assert provinces["001"] > 0.7 * len(ids) and len(provinces) > 3
    assert set(Tally(p.gender for p in people)) == {"male", "female"}
    assert len({p.national_id for p in people}) == 300 and len({p.phone for p in people}) == 300


def test_the_citizen_account_is_one_of_the_citizens(demo):
    person = Person.objects.get(user__username="citizen")
    assert person.national_id == services.generate_citizens()[0].national_id
    assert person.user.get_full_name() == person.full_name


def test_running_the_demo_again_changes_nothing(demo):
    before = dump_tables("org", "core", "auth", "catalog")
    out = StringIO()
    call_command("demo", "--no-national", stdout=out, stderr=StringIO())
    assert dump_tables("org", "core", "auth", "catalog") == before
    assert "tạo mới 0, cập nhật 0" in out.getvalue()


def test_generation_is_deterministic():
    assert services.generate_citizens(20) == services.generate_citizens(300)[:20]


def test_summary_prints_where_to_log_in_without_touching_the_database(demo, django_assert_num_queries):
    out = StringIO()
    with django_assert_num_queries(0):
        call_command("demo", "--summary", "--port", "8123", stdout=out)
    text = out.getvalue()
    for url in ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/admin/", "http://127.0.0.1:8123/api/docs"):
        assert url in text
    assert "Role" in text and "Vai trò" in text and "Password" in text and "Mật khẩu" in text
    for username in ROLES:
        assert re.search(rf"^\s+.+ / .+\s+{username}\s+demo$", text, re.MULTILINE), username
    assert "Center director" in text and "Giám đốc trung tâm" in text


def test_the_demo_pairs_a_kiosk_for_each_branch_and_prints_how_to_use_it(demo, client):
    kiosks = Device.objects.filter(kind="kiosk")
    branches = Branch.objects.filter(service_points__isnull=False).distinct()
    assert kiosks.count() == branches.count() >= 12
    assert {k.service_point.branch_id for k in kiosks} == set(branches.values_list("pk", flat=True))
    assert all(k.is_active and k.created_by.username == "admin" for k in kiosks)
    out = StringIO()
    call_command("demo", "--summary", "--port", "8123", stdout=out)
    urls = re.findall(r"http://127\.0\.0\.1:8123(/queue/devices/pair-with-key/\?key=\S+)", out.getvalue())
    assert len(urls) == kiosks.count() and "Chi nhánh 1 / Branch 1" in out.getvalue()
    form = client.get(urls[0])
    assert form.status_code == 200
    key = urls[0].split("key=")[1]
    response = client.post("/queue/devices/pair-with-key/", {"key": key})
    point = Device.objects.get(key_hash=Device.hash_key(key)).service_point
    assert point.branch.number == 1 and response["Location"] == f"/queue/kiosk/{point.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="national_id"' in page.content.decode()


def test_the_demo_has_a_history_of_finished_dossiers_of_its_citizens(demo):
    from motcua.dossiers.models import Dossier

    assert "Lịch sử hồ sơ đã giải quyết:" in demo
    history = Dossier.objects.filter(person__in=generated_people())
    assert history.count() > 50
    assert set(history.values_list("state", flat=True)) <= {"returned", "refused"}


def test_the_demo_has_complaints_answered_published_and_waiting(demo, client):
    from motcua.complaints.models import Complaint

    assert "Phản ánh, kiến nghị mẫu:" in demo
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == {"received", "answered", "closed"}
    published = Complaint.objects.filter(published_at__isnull=False)
    assert published.count() >= 4 and not published.filter(publish=False).exists()
    assert all(c.closed_at <= timezone.now() and c.received_at < c.due_at for c in published)
    page = client.get("/complaints/").content.decode()
    assert published.first().public_subject in page
    assert not any(c.phone in page or c.name in page for c in Complaint.objects.all())


def test_remove_deletes_the_accounts_and_their_people(demo):
    from motcua.dossiers.models import Dossier
    from motcua.queueing.models import Ticket

    assert Dossier.objects.exists() and Ticket.objects.filter(device="demo-queue-history").exists()
    out = StringIO()
    call_command("demo", "--remove", stdout=out)
    assert not DemoAccount.objects.exists()
    assert not get_user_model().objects.filter(username__in=ROLES).exists()
    assert not Officer.objects.exists() and not generated_people().exists()
    assert Center.objects.filter(code="hanoi").exists()  # the organisation stays
    assert f"Đã xóa {len(ROLES)} tài khoản mẫu và 300 công dân mẫu." in out.getvalue()
    assert not Device.objects.exists() and "kiosk mẫu" in out.getvalue()
    assert not Dossier.objects.exists() and "hồ sơ của công dân mẫu" in out.getvalue()
    from motcua.complaints.models import Complaint

    assert not Complaint.objects.exists() and "phản ánh, kiến nghị mẫu" in out.getvalue()
    assert not Ticket.objects.exists() and "số thứ tự mẫu" in out.getvalue()


def test_production_refuses_to_start_until_the_demo_is_removed(demo):
    # With an audit key of its own, only the demo accounts stand in the way.
    with override_settings(PRODUCTION=True, MOTCUA_AUDIT_KEY="k" * 40):
        with pytest.raises(RuntimeError, match="demo accounts exist"):
            assert_production_safe()
        with pytest.raises(CommandError):
            call_command("demo", "--no-national", stdout=StringIO())
        call_command("demo", "--remove", stdout=StringIO())
        assert_production_safe()


def test_a_real_user_with_a_demo_name_is_left_alone(demo):
    call_command("demo", "--remove", stdout=StringIO())
    real = get_user_model().objects.create_user("admin", password="a long real password")
    report = services.create_demo_accounts(ACCOUNTS, center=Center.objects.get(code="hanoi"))
    real.refresh_from_db()
    assert report.skipped == ["admin"] and "reception" in report.created
    assert real.check_password("a long real password") and not real.is_superuser
    assert not DemoAccount.objects.filter(user=real).exists()


def test_the_national_catalog_is_imported_only_when_possible(tmp_path, monkeypatch):
    calls = []
    command = Command(stdout=StringIO(), stderr=StringIO())
    monkeypatch.setattr(catalog_services, "import_national", lambda path: calls.append(path) or "42 created",
                        raising=False)
    command.import_national({"no_national": False, "national": tmp_path / "absent.jsonl.gz"})
    assert calls == [] and "absent.jsonl.gz" in command.stdout._out.getvalue()
    present = tmp_path / "catalog.jsonl.gz"
    present.write_bytes(b"")
    command.import_national({"no_national": False, "national": present})
    assert calls == [present] and "42 created" in command.stdout._out.getvalue()
    monkeypatch.delattr(catalog_services, "import_national")
    command.import_national({"no_national": False, "national": present})
    assert calls == [present] and "chưa có chức năng nhập" in command.stdout._out.getvalue()
    command.import_national({"no_national": True, "national": present})
    assert calls == [present]


def test_the_default_national_catalog_path():
    assert national_catalog_default() == Path(settings.BASE_DIR).parent / "shared/reference/national-catalog.jsonl.gz"
