"""In headless Chromium: open the Geometry sketchpad, click points onto the canvas, run the hull, see it drawn."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from rlgen.ui import geometry as tab
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser

# Canvas pixels to click: a pentagon's corners and two points inside it.
CLICKS = [(160, 380), (560, 400), (620, 160), (360, 60), (120, 180), (360, 240), (300, 300)]


def canvas_src(page) -> str:
    return page.locator("#geometry-canvas img").first.get_attribute("src") or ""


def status(page) -> str:
    return page.locator("#geometry-status textarea").input_value()


def test_click_points_run_the_hull_and_see_it_drawn(page):
    page.get_by_role("tab", name=tab.TITLE).first.click()
    canvas = page.locator("#geometry-canvas img").first
    expect(canvas).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelector('#geometry-canvas img')?.complete")
    before = canvas_src(page)
    page.locator("[role=tabpanel]:visible").get_by_role("button", name="Clear", exact=True).click()  # the preset
    expect(canvas).not_to_have_attribute("src", before, timeout=30_000)
    for count, (x, y) in enumerate(CLICKS, start=1):
        page.wait_for_function("() => document.querySelector('#geometry-canvas img')?.complete")
        before = canvas_src(page)
        natural = page.evaluate("() => { const i = document.querySelector('#geometry-canvas img');"
                                " return [i.naturalWidth, i.naturalHeight]; }")
        scale = canvas.bounding_box()["width"] / natural[0]
        canvas.click(position={"x": x * scale, "y": y * scale})  # scrolled into view first, as a reader would
        page.wait_for_function(
            f"() => document.querySelector('#geometry-status textarea')?.value.includes('Now: {count} point(s)')",
            timeout=30_000)
        expect(canvas).not_to_have_attribute("src", before)
    before = canvas_src(page)
    page.locator("#geometry-run").click()
    expect(page.locator("#geometry-numbers")).to_contain_text("hull vertices", timeout=30_000)
    numbers = page.locator("#geometry-numbers").inner_text()
    assert re.search(r"hull vertices\s+5\b", numbers), numbers  # the pentagon's corners; the inner points are not
    expect(canvas).not_to_have_attribute("src", before, timeout=30_000)
    page.wait_for_function("() => document.querySelector('#geometry-canvas img')?.complete")
    # The drawn hull: pixels of the result colour (blue 37, 99, 235) on the edge between two clicked corners.
    shot = page.locator("#geometry-canvas img").first.screenshot()
    from io import BytesIO

    from PIL import Image

    image = np.asarray(Image.open(BytesIO(shot)).convert("RGB")).astype(int)
    blue = (abs(image[..., 0] - 37) < 40) & (abs(image[..., 1] - 99) < 40) & (image[..., 2] > 180)
    assert blue.sum() > 500, "the hull outline should be drawn in the result colour"
    save_screenshot(page, "geometry")
