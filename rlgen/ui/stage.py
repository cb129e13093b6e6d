"""For a speaker: keyboard shortcuts for each tab's main actions and the presenter view.

Outside a text field, without a modifier key: **R** presses the open tab's main action (its first primary button:
Run, Generate, Send, Ask, Start…), **S** its Step button, **.** its Stop or Pause button, **1**–**9** open the
n-th tab, and **P** toggles the presenter view (``?present=1`` opens the page in it: ``widgets.PRESENT_JS``).
"""

from __future__ import annotations

SHORTCUTS = {"r": "the open tab's main action", "s": "Step", ".": "Stop / Pause", "1–9": "open the n-th tab",
             "p": "presenter view"}

SHORTCUTS_JS = """
() => {
  const visible = (selector) => Array.from(document.querySelectorAll(selector))
    .find((e) => e.offsetParent !== null && !e.disabled);
  const press = (selector) => { const button = visible(selector); if (button) { button.click(); } };
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName) || e.target.isContentEditable;
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const key = e.key.toLowerCase();
    if (key === "r") { press('[role=tabpanel] button.primary'); }
    else if (key === "s") { press('[role=tabpanel] button[id$="-step"]'); }
    else if (key === ".") { press('[role=tabpanel] button.stop'); }
    else if (key === "p") { document.body.classList.toggle("rlgen-present"); }
    else if (/^[1-9]$/.test(key)) {
      const tabs = Array.from(document.querySelectorAll('[role=tablist]')).find((t) => t.offsetParent !== null);
      const tab = tabs && tabs.querySelectorAll('[role=tab]')[Number(key) - 1];
      if (tab) { tab.click(); }
    }
  });
}
"""

# A new action clears the old messages: gradio keeps an error toast up for 10 s, so after a mistake and its
# correction the page showed the stale error beside the good result
TOASTS_JS = """
() => {
  document.addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !button.closest("[role=tabpanel]") || button.closest(".toast-wrap")) { return; }
    document.querySelectorAll(".toast-wrap .toast-close").forEach((close) => close.click());
  }, true);
}
"""

# gradio 6.31 leaves a shown image's wrapping button without a name and puts aria-label on empty placeholders
# that have no role (axe-core: "button-name", critical; "aria-prohibited-attr"): name the button after the
# image's label and give the placeholder the role its label belongs to, as the page renders; an explanation that
# scrolls can be reached by keyboard ("scrollable-region-focusable")
A11Y_JS = """
() => {
  const mend = () => {
    document.querySelectorAll(".image-container > button:not([aria-label])").forEach((button) => {
      const block = button.closest(".block");
      const label = block && block.querySelector('[data-testid="block-label"]');
      button.setAttribute("aria-label", (label && label.innerText.trim()) || "image");
    });
    document.querySelectorAll(".empty[aria-label]:not([role])").forEach((e) => e.setAttribute("role", "img"));
    document.querySelectorAll(".rlgen-explain:not([tabindex])").forEach((e) => {  // a text that may scroll:
      if (["auto", "scroll"].includes(getComputedStyle(e).overflowY)) { e.setAttribute("tabindex", "0"); }
    });
  };
  mend();
  new MutationObserver(mend).observe(document.body, {childList: true, subtree: true});
}
"""
