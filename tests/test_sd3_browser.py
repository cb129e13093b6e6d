"""In headless Chromium: open the Stable Diffusion 3 tab, generate with both models, and see the MMDiT's images
and the two trajectories appear."""

import pytest
from playwright.sync_api import expect

from rlgen.ui import sd3 as tab
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser


def test_prompt_generates_with_the_unet_and_the_mmdit(page):
    page.get_by_role("tab", name=tab.TITLE).first.click()
    opened = "() => document.querySelectorAll('#sd3-mmdit-gallery img').length >= 4"  # the opening comparison
    page.wait_for_function(opened, timeout=120_000)
    first = page.locator("#sd3-mmdit-gallery img").first.get_attribute("src")
    prompt = page.locator("#sd3-prompt textarea")
    prompt.fill("a yellow star on a purple background")
    page.locator("#sd3-generate").click()
    page.wait_for_function(
        "() => /Step 20\\/20/.test(document.querySelector('#sd3-status textarea')?.value ?? '')",
        timeout=120_000)
    expect(page.locator("#sd3-mmdit-gallery img").first).to_be_visible(timeout=30_000)
    expect(page.locator("#sd3-trajectory img").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('#sd3-trajectory img')?.complete")
    page.wait_for_function("() => { const images = document.querySelectorAll('#sd3-mmdit-gallery img');"
                           " return images.length >= 4 && Array.from(images).every((i) => i.complete); }",
                           timeout=30_000)
    for gallery in ("#sd3-unet-gallery", "#sd3-mmdit-gallery"):  # all four images inside their gallery, none cut
        inside = page.evaluate(f"""() => {{
            const box = document.querySelector('{gallery}').getBoundingClientRect();
            return Array.from(document.querySelectorAll('{gallery} img')).map((i) => i.getBoundingClientRect())
              .map((r) => r.left >= box.left - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1);
        }}""")
        assert len(inside) >= 4 and all(inside), (gallery, inside)
    page.wait_for_function("() => !/processing|queue/.test(document.querySelector('#sd3-mmdit-gallery').innerText"
                           " + document.querySelector('#sd3-unet-gallery').innerText)", timeout=60_000)
    assert page.locator("#sd3-mmdit-gallery img").first.get_attribute("src") != first  # the prompt's images
    save_screenshot(page, "sd3")
