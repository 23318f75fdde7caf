"""The index page, the drill-down, the exports (formula cells neutralised) and the public transparency page."""

import io

import openpyxl

from motcua.core.menus import menu_for

from .factories import at, dossier

NOVEMBER = "from=2026-11-01&to=2026-11-30"


def test_the_director_has_the_menu_item_and_others_not(world):
    assert "insights-service-index" in [i.key for i in menu_for(world.director)]
    assert "insights-service-index" in [i.key for i in menu_for(world.leader)]
    assert "insights-service-index" not in [i.key for i in menu_for(world.reception)]


def test_the_page_shows_formulas_and_links_to_the_dossiers(client, world):
    made = dossier(world, received=at(2), due=at(10, 17), result=at(6))
    client.force_login(world.director)
    page = client.get(f"/insights/service-index/?{NOVEMBER}").content.decode()
    assert "Số hồ sơ giải quyết trước hạn + đúng hạn" in page
    assert "/insights/service-index/dossiers/?indicator=2.1&amp;part=numerator" in page
    behind = client.get(f"/insights/service-index/dossiers/?indicator=2.1&part=numerator&{NOVEMBER}")
    assert behind.status_code == 200 and made.code in behind.content.decode()


def test_a_branch_leader_opens_on_their_branch_and_cannot_drill_into_another(client, world):
    client.force_login(world.leader)
    page = client.get(f"/insights/service-index/?{NOVEMBER}")
    assert page.status_code == 200 and world.branch.name in page.content.decode()
    other = client.get(f"/insights/service-index/dossiers/?indicator=2.1&branch={world.other_branch.code}&{NOVEMBER}")
    assert other.status_code == 403


def test_others_get_403_and_bad_input_a_message(client, world):
    client.force_login(world.reception)
    assert client.get("/insights/service-index/").status_code == 403
    client.force_login(world.director)
    answer = client.get("/insights/service-index/?from=nope")
    assert answer.status_code == 422 and "YYYY-MM-DD" in answer.content.decode()
    assert client.get(f"/insights/service-index/dossiers/?indicator=9.9&{NOVEMBER}").status_code == 404


def test_exports_neutralise_formula_cells(client, world):
    made = dossier(world, received=at(2), due=at(10, 17), result=at(6))
    made.procedure.name = "=HYPERLINK(\"http://x\")"
    made.procedure.save()
    client.force_login(world.director)
    csv_text = client.get(f"/insights/service-index/dossiers/?indicator=2.1&{NOVEMBER}&format=csv").content.decode()
    assert "'=HYPERLINK" in csv_text and made.code in csv_text
    xlsx = client.get(f"/insights/service-index/?{NOVEMBER}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Mã" and ("2.1", 20) == (rows[4][0], rows[4][2])
    assert rows[4][5:7] == (1, 1)


def test_transparency_is_public_and_without_personal_data(client, world):
    dossier(world, received=at(2), due=at(10, 17), result=at(6))
    page = client.get(f"/transparency/?{NOVEMBER}")
    text = page.content.decode()
    assert page.status_code == 200 and world.department.name in text
    assert "Nguyễn Văn An" not in text and "001090012345" not in text and "T-" not in text
    by_procedure = client.get(f"/transparency/?{NOVEMBER}&by=procedure").content.decode()
    assert world.land.name in by_procedure
    exported = client.get(f"/transparency/?{NOVEMBER}&format=csv").content.decode()
    assert world.department.code in exported
    assert client.get("/transparency/?from=bad").status_code == 200  # the message, and the month's figures
