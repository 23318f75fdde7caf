"""Helpers shared by the browser tests: screenshots, the accessibility checks, browser error log."""

import functools
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


def save_screenshots(page: Page, name: str, *, check_accessibility: bool = True) -> list[Path]:
    """Full-page screenshots of the current page at desktop and phone widths; the viewport is restored.

    Every page looked at is also checked with axe-core at each width (`assert_accessible`); the
    screenshots are written first, so a failing page can still be looked at.
    """
    original = page.viewport_size or DESKTOP
    paths = []
    problems = []
    try:
        for size in WIDTHS:
            page.set_viewport_size(size)
            path = screenshot_dir() / f"{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            paths.append(path)
            if check_accessibility:
                if violations := axe_violations(page):
                    problems.append(f"at {size['width']} px:\n{format_violations(violations)}")
    finally:
        page.set_viewport_size(original)
    if problems:
        raise AssertionError(
            f"axe-core: serious or critical violations on {page.url} ({name}):\n" + "\n".join(problems)
        )
    return paths


# --- Accessibility: axe-core ----------------------------------------------------------------------

# axe-core comes from npm (package.json, a devDependency), like the pages' own libraries.
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA (axe tags each rule with the success criteria's level and version).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_FAILING_IMPACTS = ("serious", "critical")


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `make install` (npm ci installs axe-core)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


_AXE_RUN = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(" ")),
    summaries: v.nodes.map((node) => node.failureSummary || ""),
  }));
}
"""


def axe_violations(page: Page, impacts: tuple[str, ...] = AXE_FAILING_IMPACTS) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the current page with one of `impacts`.

    The script is evaluated through the DevTools protocol rather than added as a <script> tag: the
    pages' Content Security Policy allows only scripts with the response's nonce, and an evaluation
    is not subject to it (nor reported as a violation).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_AXE_RUN, list(AXE_TAGS))
    return [v for v in violations if v["impact"] in impacts]


def format_violations(violations: list[dict]) -> str:
    """One paragraph per rule: id, impact, what it asks, its help page, and the elements that fail it."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for target, summary in zip(v["targets"], v["summaries"], strict=True):
            first = summary.splitlines()[1].strip() if len(summary.splitlines()) > 1 else summary
            lines.append(f"    {target}: {first}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation (WCAG 2.1 A/AA) on the current page at its current width."""
    if violations := axe_violations(page):
        raise AssertionError(
            f"axe-core: serious or critical violations on {page.url}:\n{format_violations(violations)}"
        )


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
