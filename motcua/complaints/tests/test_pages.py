"""The complaint pages: filing, the author's view and rating, the staff's answer and approval, publication."""

import pytest

from motcua.complaints.models import Complaint

from .conftest import file

pytestmark = pytest.mark.django_db

FORM = {"subject": "Quầy 3 đông", "content": "Chờ quá lâu.", "name": "Trần Văn Bình", "phone": "0987654321",
        "about": "Quầy 3", "publish": "on"}


def test_filing_on_the_web_shows_the_code_key_and_due_date(world, at, client):
    response = client.post("/complaints/new/", FORM)
    html = response.content.decode()
    complaint = Complaint.objects.get()
    assert response.status_code == 201 and complaint.channel == "web" and complaint.publish
    assert complaint.code in html and complaint.printed_tracking_key in html and "07/12/2026" in html


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong(world, at, client):
    response = client.post("/complaints/new/", {**FORM, "phone": "12"})
    html = response.content.decode()
    assert response.status_code == 422 and 'aria-invalid="true"' in html and "Quầy 3 đông" in html
    assert Complaint.objects.count() == 0


def test_the_whole_way_from_filing_to_the_published_answer_and_the_rating(world, at, client, department_leader):
    complaint = file()
    client.force_login(world.officer)
    assert complaint.code in client.get("/complaints/inbox/").content.decode()
    client.post(f"/complaints/inbox/{complaint.code}/", {"answer": "Sở đã trả kết quả ngày 25/11."})
    assert client.get(f"/complaints/{complaint.code}/").status_code == 404  # not published before approval
    client.force_login(department_leader)
    client.post(f"/complaints/inbox/{complaint.code}/", {"action": "approve"})
    client.logout()
    listing = client.get("/complaints/", {"q": "tra ket qua cham"}).content.decode()
    assert complaint.code in listing and "đúng hạn" in listing
    page = client.get(f"/complaints/{complaint.code}/").content.decode()
    assert "Sở đã trả kết quả ngày 25/11." in page and "Nguyễn Thị Hoa" not in page and "0912345678" not in page
    key = complaint.printed_tracking_key
    rated = client.post("/complaints/track/", {"code": complaint.code, "key": key, "score": "5"})
    assert "5/5" in rated.content.decode()
    assert Complaint.objects.get().rating == 5


def test_staff_of_another_agency_neither_see_nor_answer_it(world, at, client):
    complaint = file()
    client.force_login(world.other_officer)
    assert complaint.code not in client.get("/complaints/inbox/").content.decode()
    assert client.get(f"/complaints/inbox/{complaint.code}/").status_code == 404
    assert client.post(f"/complaints/inbox/{complaint.code}/", {"answer": "x"}).status_code == 404


def test_the_author_s_view_needs_the_key(world, at, client):
    complaint = file()
    wrong = client.get("/complaints/track/", {"code": complaint.code, "key": "AAAAA-AAAAA"}).content.decode()
    assert "Không tìm thấy" in wrong and complaint.subject not in wrong
    right = client.get("/complaints/track/", {"code": complaint.code, "key": complaint.printed_tracking_key})
    assert complaint.subject in right.content.decode() and "Đã tiếp nhận" in right.content.decode()


def test_each_inbox_lists_exactly_the_complaints_its_user_may_see(world, at, department_leader):
    from motcua.complaints import policies, selectors
    from motcua.core.clock import now as at_now

    complaints = [file(), file(about=""), file(about="Chi nhánh số 1")]
    Complaint.objects.filter(pk=complaints[2].pk).update(agency=None, branch=world.branch)
    complaints[2].refresh_from_db()
    Complaint.objects.filter(pk=complaints[0].pk).update(status=Complaint.Status.CLOSED, closed_at=at_now(),
                                                         approved_by=department_leader)
    for user in (world.officer, world.other_officer, world.reception, world.leader, world.director,
                 world.citizen, world.admin, department_leader):
        expected = {c.code for c in Complaint.objects.all() if policies.can(user, "view", c)}
        listed = [c.code for c in selectors.inbox(user)]
        assert set(listed) == expected, user
        assert len(listed) == len(set(listed))
    director = [c.status for c in selectors.inbox(world.director)]
    assert director[-1] == Complaint.Status.CLOSED  # open ones first


def test_staff_find_the_complaints_in_their_menu(world, client):
    client.force_login(world.officer)
    assert 'href="/complaints/inbox/"' in client.get("/dossiers/").content.decode()
    client.force_login(world.citizen)
    assert 'href="/complaints/inbox/"' not in client.get("/").content.decode()
