"""My dossiers: every dossier of the person by national ID, a supplement answered online, the result."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, State
from motcua.dossiers.tests.conftest import KNOWN_ID, OTHER_ID, PDF, pdf
from motcua.org.models import Person

pytestmark = pytest.mark.django_db


def counter_dossier(world, national_id=KNOWN_ID, name="Nguyễn Văn An", branch_user=None):
    return services.submit_dossier(
        branch_user or world.reception,
        services.Submission(
            procedure="1.004227",
            applicant=services.ApplicantData(kind="person", id_number=national_id, name=name),
            shown=[4],
        ),
        {1: [pdf()], 2: [pdf()]},
    )


@pytest.fixture
def citizen(world):
    Person.objects.filter(national_id=KNOWN_ID).update(user=world.citizen)
    return world.citizen


def test_every_dossier_of_the_person_any_branch_no_key(client, world, citizen):
    here = counter_dossier(world)
    there = counter_dossier(world, branch_user=world.other_reception)
    someone_else = counter_dossier(world, national_id=OTHER_ID, name="Trần Thị Bình")
    client.force_login(citizen)
    page = client.get("/me/").content.decode()
    assert here.code in page and there.code in page and someone_else.code not in page
    assert client.get(f"/me/dossiers/{here.code}/").status_code == 200
    assert client.get(f"/me/dossiers/{someone_else.code}/").status_code == 404
    assert client.get("/me/dossiers/NO-SUCH/").status_code == 404


def test_me_needs_a_login_and_the_citizen_role(client, world):
    assert client.get("/me/").status_code == 302
    client.force_login(world.reception)
    assert client.get("/me/").status_code == 403


def test_the_supplement_is_shown_in_full_and_answered_online_restarting_the_clock(client, world, citizen):
    dossier = counter_dossier(world)
    world.reception.first_name = "Lê Thu Hà"
    world.reception.save()
    services.request_supplement(
        world.reception,
        dossier.code,
        items=[
            {"name": "Hợp đồng thế chấp", "reason": "Bản chụp không có chứng thực"},
            {"name": "Phiếu yêu cầu đăng ký", "reason": "Thiếu chữ ký bên nhận thế chấp"},
        ],
    )
    client.force_login(citizen)
    page = client.get(f"/me/dossiers/{dossier.code}/").content.decode()
    for text in (
        "Hợp đồng thế chấp",
        "Bản chụp không có chứng thực",
        "Thiếu chữ ký bên nhận thế chấp",
        "Hạn bổ sung",
        "Lê Thu Hà",
        "Chi nhánh số 1",
        'id="supply-form"',
    ):
        assert text in page, text
    assert Dossier.objects.get(pk=dossier.pk).due_at is None  # the clock stopped
    empty = client.post(f"/me/dossiers/{dossier.code}/", {"supply-version": dossier.version + 1})
    assert empty.status_code == 422 and Dossier.objects.get(pk=dossier.pk).state == State.SUPPLEMENT_REQUESTED
    current = Dossier.objects.get(pk=dossier.pk)
    answer = client.post(
        f"/me/dossiers/{dossier.code}/",
        {
            "supply-version": current.version,
            "supply-document_2": SimpleUploadedFile("hop-dong.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert answer.status_code == 302
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.state == after.supplement.resume_state and after.supplement.supplied_at is not None
    assert after.due_at is not None  # counted again by the dossiers' rule (Center.resume_mode)
    assert after.documents.filter(source="supplement", position=2).count() == 1
    page = client.get(f"/me/dossiers/{dossier.code}/").content.decode()
    assert 'id="supply-form"' not in page and "Đã gửi giấy tờ bổ sung" in page


def test_someone_else_may_not_supply_a_dossier_that_is_not_theirs(client, world, citizen):
    dossier = counter_dossier(world, national_id=OTHER_ID, name="Trần Thị Bình")
    services.request_supplement(world.reception, dossier.code, items=[{"name": "a", "reason": "b"}])
    client.force_login(citizen)
    answer = client.post(
        f"/me/dossiers/{dossier.code}/",
        {"supply-version": Dossier.objects.get(pk=dossier.pk).version, "supply-document_1": pdf()},
    )
    assert answer.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUPPLEMENT_REQUESTED


def test_the_result_is_downloaded_once_ready(client, world, citizen):
    dossier = counter_dossier(world)
    client.force_login(citizen)
    assert client.get(f"/me/dossiers/{dossier.code}/result").status_code == 404
    stored = default_storage.save("results/2026/12/ket-qua.pdf", ContentFile(PDF))
    Dossier.objects.filter(pk=dossier.pk).update(state=State.RESULT_READY, result_file=stored)
    page = client.get(f"/me/dossiers/{dossier.code}/").content.decode()
    assert 'id="result-download"' in page
    answer = client.get(f"/me/dossiers/{dossier.code}/result")
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF")


def test_the_api_lists_my_dossiers_and_one_with_its_supplement(client, world, citizen):
    dossier = counter_dossier(world)
    other = counter_dossier(world, national_id=OTHER_ID, name="Trần Thị Bình")
    services.request_supplement(
        world.reception, dossier.code, items=[{"name": "Hợp đồng", "reason": "Thiếu"}]
    )
    client.force_login(citizen)
    listed = client.get("/api/me/dossiers").json()
    assert [d["code"] for d in listed] == [dossier.code] and listed[0]["supplement_awaited"] is True
    one = client.get(f"/api/me/dossiers/{dossier.code}").json()
    assert one["supplement"]["items"] == [{"name": "Hợp đồng", "reason": "Thiếu"}]
    assert one["supplement"]["expires_at"] and one["supplement"]["contact"]["name"] == "reception"
    assert one["can_supply"] is True and one["result_url"] is None
    assert client.get(f"/api/me/dossiers/{other.code}").status_code == 404
    client.force_login(world.reception)
    assert client.get("/api/me/dossiers").status_code == 403
    client.logout()
    assert client.get("/api/me/dossiers").status_code == 401
