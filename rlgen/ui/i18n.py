"""The page in Simplified Chinese and English: gradio's ``gr.I18n`` picks the language from the browser's locale.

The terms follow the Chinese articles this playground is built on (值迭代, 策略梯度, 直接偏好优化, 扩散模型, …).
Translated so far: the page's header and every tab's title; a key missing either language fails the tests.
"""

from __future__ import annotations

HEADER = {
    "en": ("# rlgen\nWatch reinforcement-learning and generative-model algorithms work, live, on a CPU. Every model "
           "here is small, trained by this project and shipped with it; nothing is downloaded."),
    "zh": ("# rlgen\n在 CPU 上实时观看强化学习与生成模型算法的运行过程。这里的每个模型都很小，由本项目自己训练并随项目发布；"
           "运行时不下载任何东西。"),
}

# tab key -> Chinese title (the English title is the tab module's TITLE)
TAB_TITLES_ZH = {
    "gridworld": "网格世界",
    "deeprl": "从表格到深度强化学习",
    "geometry": "计算几何画板",
    "ddpg": "DDPG 连续控制",
    "genlab": "生成模型实验室",
    "dpo": "DPO 对话",
    "diffusion": "扩散模型 / ControlNet",
    "sd3": "SD3（MMDiT）",
    "kimivl": "KimiVL 图像问答",
}


def translations(titles: dict[str, str]) -> dict[str, dict[str, str]]:
    """{language: {key: text}} for the header and the given tabs' titles ({tab key: English title})."""
    missing = sorted(set(titles) - set(TAB_TITLES_ZH))
    if missing:
        raise KeyError(f"no Chinese title for the tabs {missing}; add them to TAB_TITLES_ZH")
    en = {"header": HEADER["en"], **{f"tab.{key}": title for key, title in titles.items()}}
    zh = {"header": HEADER["zh"], **{f"tab.{key}": TAB_TITLES_ZH[key] for key in titles}}
    return {"en": en, "zh": zh}


def i18n(titles: dict[str, str]):
    import gradio as gr

    return gr.I18n(**translations(titles))
