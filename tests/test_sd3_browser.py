"""In headless Chromium: open the Stable Diffusion 3 tab, generate with both models, and see the MMDiT's images
and the two trajectories appear."""

import pytest
from playwright.sync_api import expect

from rlgen.ui import sd3 as tab
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser


def test_prompt_generates_with_the_unet_and_the_mmdit(page):
    page.get_by_role("tab", name=tab.TITLE).first.click()
    prompt = page.locator("#sd3-prompt textarea")
    prompt.fill("a yellow star on a purple background")
    page.locator("#sd3-generate").click()
    page.wait_for_function(
        "() => /Step 20\\/20/.test(document.querySelector('#sd3-status textarea')?.value ?? '')",
        timeout=120_000)
    expect(page.locator("#sd3-mmdit-gallery img").first).to_be_visible(timeout=30_000)
    expect(page.locator("#sd3-trajectory img").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('#sd3-trajectory img')?.complete")
    page.locator("#sd3-mmdit-gallery").scroll_into_view_if_needed()
    save_screenshot(page, "sd3")
