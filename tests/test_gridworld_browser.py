"""In headless Chromium: open the GridWorld tab, run value iteration, watch the heatmap change; click a cell."""

import pytest
from playwright.sync_api import expect

from rlgen.ui.gridworld import SLOW_FRAMES
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser


def grid_src(page) -> str:
    return page.locator("#gridworld-grid img").first.get_attribute("src") or ""


def test_value_iteration_run_redraws_the_heatmap(page):
    page.get_by_role("tab", name="GridWorld").first.click()
    grid = page.locator("#gridworld-grid img").first
    expect(grid).to_be_visible(timeout=30_000)
    before = grid_src(page)
    page.get_by_label(f"Speed up after {SLOW_FRAMES} frames").uncheck()  # one iteration a frame: time to Pause
    page.locator("#gridworld-run").click()
    page.wait_for_function(
        "() => /Value iteration: iteration k ([3-9]|\\d\\d)/.test("
        "document.querySelector('#gridworld-status textarea')?.value ?? '')", timeout=90_000)
    expect(grid).not_to_have_attribute("src", before)
    page.locator("#gridworld-stop").click()  # Pause: the stream stops, the last frame stays
    page.wait_for_function(
        "() => document.querySelector('#gridworld-status textarea')?.value.startsWith('Paused at step')",
        timeout=30_000)
    expect(page.locator("#gridworld-convergence")).to_be_visible()
    save_screenshot(page, "gridworld")


def test_clicking_a_cell_edits_the_grid(page):
    page.get_by_role("tab", name="GridWorld").first.click()
    grid = page.locator("#gridworld-grid img").first
    expect(grid).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelector('#gridworld-grid img')?.complete")
    before = grid_src(page)
    box = grid.bounding_box()
    natural = page.evaluate("() => { const i = document.querySelector('#gridworld-grid img');"
                            " return [i.naturalWidth, i.naturalHeight]; }")
    scale = box["width"] / natural[0]
    # the top-right cell of the 5×5 book grid: its centre in image pixels, scaled to the displayed size
    from rlgen.gridworld.figures import layout

    lay = layout(5, 5)
    x, y = lay.left + 4.5 * lay.cell, lay.top + 0.5 * lay.cell
    page.mouse.click(box["x"] + x * scale, box["y"] + y * scale)
    page.wait_for_function(
        "() => document.querySelector('#gridworld-status textarea')?.value.includes('(1, 5) is now forbidden')",
        timeout=30_000)
    expect(grid).not_to_have_attribute("src", before)
