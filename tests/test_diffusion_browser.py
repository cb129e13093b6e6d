"""In headless Chromium: open the Diffusion / ControlNet tab, generate from a prompt and a control image, and
see the images and the denoising trajectory appear."""

import pytest
from playwright.sync_api import expect

from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser


def test_prompt_and_control_image_generate_a_gallery(page):
    page.get_by_role("tab", name="Diffusion / ControlNet").first.click()
    expect(page.locator("#diffusion-preview img").first).to_be_visible(timeout=30_000)  # the canny map preview
    prompt = page.locator("#diffusion-prompt textarea")
    prompt.fill("a yellow star on a purple background")
    page.locator("#diffusion-generate").click()
    page.wait_for_function(
        "() => /Step 20\\/20/.test(document.querySelector('#diffusion-status textarea')?.value ?? '')",
        timeout=120_000)
    expect(page.locator("#diffusion-gallery img").first).to_be_visible(timeout=30_000)
    assert page.locator("#diffusion-gallery img").count() >= 1
    expect(page.locator("#diffusion-trajectory img").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('#diffusion-trajectory img')?.complete")
    page.locator("#diffusion-gallery").scroll_into_view_if_needed()
    save_screenshot(page, "diffusion")
