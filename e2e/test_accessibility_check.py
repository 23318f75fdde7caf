"""The axe-core check itself: it runs under the pages' Content Security Policy and catches what it must.

Every page a browser test looks at is checked by `save_screenshots` (e2e/helpers.py); these tests make
sure that check can fail, so a green suite means something.
"""

import pytest
from playwright.sync_api import Page

from e2e.helpers import assert_accessible, axe_violations, format_violations

pytestmark = pytest.mark.e2e

# Grey on white (#aaa: 2.3:1), an image without a text alternative, and a field without a label.
BROKEN = """() => {
  const main = document.querySelector("main");
  main.insertAdjacentHTML("beforeend",
    '<p id="faint" style="color:#aaa;background:#fff">Chữ mờ khó đọc</p>'
    + '<img id="no-alt" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">'
    + '<input id="no-label" type="text">');
}"""


def test_axe_reports_serious_violations_with_rule_target_and_help(page: Page, catalog):
    page.goto("/procedures/")
    assert axe_violations(page) == []

    page.evaluate(BROKEN)
    found = {v["id"]: v for v in axe_violations(page)}

    assert {"color-contrast", "image-alt", "label"} <= found.keys()
    assert "#faint" in found["color-contrast"]["targets"]
    assert found["image-alt"]["targets"] == ["#no-alt"]
    assert found["label"]["helpUrl"].startswith("https://dequeuniversity.com/rules/axe/")
    report = format_violations(list(found.values()))
    assert "color-contrast (serious)" in report and "#no-label" in report
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
    # Put the page right again: the fixture checks the final page at both widths.
    page.evaluate(
        "() => ['faint', 'no-alt', 'no-label'].forEach((id) => document.getElementById(id).remove())"
    )


def test_axe_leaves_no_csp_violation_and_runs_once_per_page(page: Page, catalog):
    page.goto("/procedures/")
    assert_accessible(page)
    page.evaluate("() => { window.axe.seen = true; }")
    assert_accessible(page)
    assert page.evaluate("() => window.axe.seen") is True, "axe is evaluated once per page, not per check"
    # The page fixture fails the test on any CSP violation the evaluation would have caused.
