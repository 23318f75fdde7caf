"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test that takes `page` gets a fresh browser context (Vietnamese locale, 1280×800) pointed at
the live server. When the test ends, full-page screenshots of the last state are written to
var/screenshots/<test>-1280.png and -390.png, and the test errors if axe-core finds a serious or
critical WCAG 2.1 A/AA violation on that page at either width (every `screenshot("step")` is checked
the same way), or if the browser logged a console error, an uncaught exception or a CSP violation that
the test did not declare with `browser_log.expect(...)`.

Data is created per test through the project's services (the catalog from a tiny YAML tree) and
the ORM (the organisation); the database is flushed after each test (transactional_db).
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from e2e.helpers import DESKTOP, REPORT_CSP_VIOLATIONS, BrowserLog, save_screenshots, screenshot_name

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous waits: a loaded CI machine may take seconds to answer; a passing check returns at once.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


# --- Browser and server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless unless --headed (Playwright's own browser downloads are not used)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium), "
            "set MOTCUA_CHROMIUM, or leave the browser tests out with -m 'not e2e'",
            pytrace=False,
        )
    return {"headless": True, **browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """page.goto("/procedures/") goes to the live server (one per xdist worker)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Vietnamese browser: LocaleMiddleware would otherwise answer Chromium's en-US in English.
    return {**browser_context_args, "viewport": DESKTOP, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def browser_log():
    return BrowserLog()


@pytest.fixture
def page(page, browser_log, live_server, request):
    """pytest-playwright's page, plus error collection and the final screenshots."""
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", browser_log.on_console)
    page.on("pageerror", browser_log.on_page_error)
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    yield page
    problems = []
    if page.url.startswith(live_server.url):
        try:
            save_screenshots(page, screenshot_name(request.node.name))
        except AssertionError as error:  # axe-core's findings; the browser's errors are reported too
            problems.append(str(error))
    if unexpected := browser_log.unexpected():
        problems.append("the browser reported errors:\n" + "\n".join(unexpected))
    assert not problems, "\n\n".join(problems)


@pytest.fixture
def screenshot(page, request):
    """screenshot("step") saves an intermediate state too, as <test>-<step>-1280.png and -390.png, and
    checks it with axe-core at both widths."""
    return lambda step: save_screenshots(page, f"{screenshot_name(request.node.name)}-{step}")


# --- Data -----------------------------------------------------------------------------------------

FIELDS_YAML = """
- code: ho-tich
  name: Hộ tịch
  service_group: tu-phap
- code: dat-dai
  name: Đất đai
  service_group: dat-dai
"""

HO_TICH_YAML = """
- code: "1.001193"
  name: Đăng ký khai sinh
  field: ho-tich
  level: commune
  agency: commune
  processing_days: 1
  result: Giấy khai sinh
  online_level: full
  documents:
    - name: Tờ khai đăng ký khai sinh
    - name: Giấy chứng sinh
    - name: Giấy tờ tùy thân của người đi đăng ký
      kind: shown
      registry_replaces: true
  route:
    - {name: Tiếp nhận hồ sơ, role: reception, agency: center, hours: 2}
    - {name: Thẩm định, role: agency_officer, agency: competent, hours: 4}
    - {name: Ký giấy khai sinh, role: agency_leader, agency: competent, hours: 2}
- code: "1.000894"
  name: Đăng ký kết hôn
  field: ho-tich
  level: commune
  agency: commune
  processing_days: 1
  documents:
    - name: Tờ khai đăng ký kết hôn
  route:
    - {name: Tiếp nhận hồ sơ, role: reception, agency: center, hours: 2}
    - {name: Ký giấy chứng nhận kết hôn, role: agency_leader, agency: competent, hours: 4}
"""

DAT_DAI_YAML = """
- code: "1.012345"
  name: Đăng ký đất đai, tài sản gắn liền với đất lần đầu
  field: dat-dai
  level: province
  agency: so-nnmt
  processing_days: 15
  result: Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất
  documents:
    - name: Đơn đăng ký đất đai, tài sản gắn liền với đất
    - name: Giấy tờ về quyền sử dụng đất
      kind: certified_copy
    - name: Sơ đồ tài sản gắn liền với đất
      optional: true
  fees:
    - name: Phí thẩm định hồ sơ cấp Giấy chứng nhận
      kind: fee
      amount: 1250000
      exemptions: Hộ nghèo
  route:
    - {name: Tiếp nhận hồ sơ, role: reception, agency: center, hours: 4}
    - {name: Thẩm định hồ sơ, role: agency_officer, agency: so-nnmt, hours: 80}
    - {name: Phê duyệt, role: agency_leader, agency: so-nnmt, hours: 16}
    - {name: Trả kết quả, role: reception, agency: center, hours: 4}
"""


@pytest.fixture
def catalog(transactional_db, tmp_path):
    """Three procedures in two fields, imported with the catalog's own import service."""
    from django.conf import settings

    from motcua.catalog.services import import_catalog
    from motcua.org.models import Agency

    Agency.objects.create(
        code="so-nnmt",
        name="Sở Nông nghiệp và Môi trường",
        short_name="Sở NN&MT",
        kind=Agency.Kind.DEPARTMENT,
        e_id="000.00.12.H26",
    )
    (tmp_path / "procedures").mkdir()
    (tmp_path / "fields.yaml").write_text(FIELDS_YAML, encoding="utf-8")
    (tmp_path / "procedures" / "ho-tich.yaml").write_text(HO_TICH_YAML, encoding="utf-8")
    (tmp_path / "procedures" / "dat-dai.yaml").write_text(DAT_DAI_YAML, encoding="utf-8")
    # What the center does not receive: the project's own list (passports …).
    (tmp_path / "elsewhere.yaml").write_bytes((settings.DATA_DIR / "catalog" / "elsewhere.yaml").read_bytes())
    import_catalog(tmp_path)
    return SimpleNamespace(
        birth="1.001193",
        marriage="1.000894",
        land="1.012345",
        birth_name="Đăng ký khai sinh",
        marriage_name="Đăng ký kết hôn",
        land_name="Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
    )


@pytest.fixture
def organisation(transactional_db):
    """A center with two open branches (three service points) and a closed one."""
    from motcua.org.tests.factories import make_branch, make_center, make_counters, make_point

    center = make_center(working_periods=[])  # the working calendar's default hours
    first = make_branch(center, 1)
    second = make_branch(center, 2)
    make_branch(center, 3, name="Chi nhánh số 3 (đã đóng)", is_active=False)
    points = [
        make_point(first, "cn-1-hoan-kiem", name="Điểm tiếp nhận Hoàn Kiếm",
                   address="Số 1 phố Tràng Tiền, phường Hoàn Kiếm"),
        make_point(first, "cn-1-ba-dinh", name="Điểm tiếp nhận Ba Đình", address="Số 25 phố Liễu Giai, phường Ngọc Hà"),
        make_point(second, "cn-2-cau-giay", name="Điểm tiếp nhận Cầu Giấy",
                   address="Số 36 phố Cầu Giấy, phường Cầu Giấy"),
    ]
    for point, counters in zip(points, (3, 1, 2), strict=True):
        make_counters(point, range(1, counters + 1))
    return SimpleNamespace(center=center, branches=[first, second], points=points)


@pytest.fixture
def staff_user(transactional_db):
    """A center director (a staff role from motcua.core.roles) with a known password."""
    from django.contrib.auth import get_user_model

    from motcua.core.roles import CENTER_DIRECTOR, sync_roles

    groups = sync_roles()
    user = get_user_model().objects.create_user(
        "giamdoc", password="Mot-cua-2025!", is_staff=True, first_name="Lan", last_name="Nguyễn"
    )
    user.groups.add(groups[CENTER_DIRECTOR])
    return SimpleNamespace(username="giamdoc", password="Mot-cua-2025!", user=user)
