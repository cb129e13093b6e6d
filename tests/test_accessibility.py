"""An axe-core scan (WCAG 2 A and AA) of every tab, in English and in Chinese: no critical violation and no
serious one. axe-core comes from the npm registry (`.ci/run` installs it); the test skips where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from rlgen.ui import TABS
from tests.conftest import settled

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

SCAN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations.filter((v) => ["critical", "serious"].includes(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.length} × ${v.nodes[0].target.join(" ")}`);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_no_tab_has_a_critical_or_serious_accessibility_violation(browser, app_url, locale):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm install --no-save axe-core@4.14.1")
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale)
    found = {}
    try:
        for tab in TABS:
            page = context.new_page()  # a page per tab: going on in one page was now and then aborted
            page.goto(f"{app_url}?tab={tab}", wait_until="domcontentloaded")
            page.locator("[role=tabpanel]:visible").first.wait_for(timeout=30_000)
            settled(page)  # a value still loading is drawn faint: scan what a reader sees once it is there
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(SCAN)
            if violations:
                found[tab] = violations
            page.close()
    finally:
        context.close()
    assert found == {}
