"""Helpers shared by the browser tests: screenshots, accessibility basics, browser error log."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, expect

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = (DESKTOP, PHONE)


def screenshot_dir() -> Path:
    """var/screenshots (var/ follows MOTCUA_VAR_DIR, like the rest of the project)."""
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot_name(node_name: str) -> str:
    """'test_detail[chromium-home]' -> 'test_detail-home': a file name without the browser's id."""
    name = re.sub(r"(?<=[\[-])chromium(?=[\]-])", "", node_name)
    return re.sub(r"[^\w.]+", "-", name).strip("-")


def save_screenshots(page: Page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at desktop and phone widths; the viewport is restored."""
    original = page.viewport_size or DESKTOP
    paths = []
    try:
        for size in WIDTHS:
            page.set_viewport_size(size)
            path = screenshot_dir() / f"{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            paths.append(path)
    finally:
        page.set_viewport_size(original)
    return paths


@dataclass
class BrowserLog:
    """Console errors, uncaught exceptions and CSP violations seen by a page during one test."""

    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    def expect(self, pattern: str) -> None:
        """Allow errors matching `pattern` (a regular expression) in this test, e.g. a 404 response."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.expected)]


# Chromium logs CSP violations to the console itself; this makes them certain and explicit, for
# report-only policies too (the listener is installed by the browser, so the page's CSP allows it).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""

_UNLABELLED_CONTROLS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter((el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return false;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.some((id) => (document.getElementById(id)?.textContent || "").trim())) return false;
    return !Array.from(el.labels || []).some((label) => label.textContent.trim());
  })
  .map((el) => el.outerHTML.slice(0, 160))
"""


def assert_page_basics(page: Page) -> None:
    """<html lang> set, exactly one h1, every form control has an accessible label."""
    assert re.fullmatch(r"[a-z]{2}(-[A-Za-z]+)?", page.locator("html").get_attribute("lang") or ""), (
        "<html lang> must name the page's language"
    )
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(_UNLABELLED_CONTROLS) == [], "form controls without a label or aria-label"


def assert_no_horizontal_scroll(page: Page, width: int = PHONE["width"]) -> None:
    """At `width` px the page must not scroll sideways; the viewport is restored afterwards."""
    original = page.viewport_size or DESKTOP
    page.set_viewport_size({"width": width, "height": PHONE["height"]})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(f"""() => Array.from(document.querySelectorAll("body *"))
            .filter((el) => el.getBoundingClientRect().right > {width} + 1)
            .slice(0, 5).map((el) => el.tagName + (el.id ? "#" + el.id : "") + "." + el.className)""")
        assert scroll_width <= width, f"scrollWidth {scroll_width} > {width}; too wide: {wide}"
    finally:
        page.set_viewport_size(original)


def assert_skip_link_works(page: Page) -> None:
    """On a freshly loaded page: the first Tab reaches a visible skip link; Enter moves focus to main."""
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()


def wait_until(page: Page, condition, message: str, timeout_ms: int = 15_000, step_ms: int = 100) -> None:
    """Let the page run until `condition()` holds (e.g. a request was seen); fail with `message` if it never does."""
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise AssertionError(message)
        page.wait_for_timeout(step_ms)
        waited += step_ms


def pair_as_kiosk(page: Page, base_url: str, point) -> None:
    """Make this browser a paired kiosk of `point` (the pairing itself is driven in test_queue_pages)."""
    from django.contrib.auth.models import User

    from motcua.queueing.pairing import DEVICE_COOKIE
    from motcua.queueing.services.devices import pair_device

    admin = User.objects.filter(username="e2e-admin").first() or User.objects.create_superuser("e2e-admin")
    paired = pair_device(user=admin, kind="kiosk", service_point=point, name="Kiosk e2e")
    page.context.add_cookies([{"name": DEVICE_COOKIE, "value": paired.key, "url": base_url}])
