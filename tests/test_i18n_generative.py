"""The generative tabs (Diffusion / ControlNet, SD3, KimiVL) answer a Chinese reader in Chinese: their handlers'
notes and the texts made when the page opens, including the names they look up (experiment arms, measures,
question types)."""

from __future__ import annotations

import pytest

from rlgen.ui.i18n import chinese
from tests.conftest import reader


def test_diffusion_notes_follow_the_reader():
    from rlgen.ui import diffusion as tab

    with reader(accept_language="zh-CN,zh;q=0.9"):
        assert tab.preview_control("upload", None, None, None, "canny", 0.1, 0.2)[1] == "上传一张图像作为控制图像。"
        _, note = tab.preview_control("sample", "star (procedural)", None, None, "canny", 0.1, 0.2)
        assert "canny 控制图" in note and "的像素为前景" in note
    with reader(accept_language="en-US,en"):
        _, note = tab.preview_control("sample", "star (procedural)", None, None, "canny", 0.1, 0.2)
        assert note.startswith("canny map at") and "of pixels on" in note


def test_sd3_summary_names_arms_and_measures_in_chinese():
    from rlgen.diffusion.sd3_experiments import EXPERIMENTS
    from rlgen.diffusion.sd3_figures import shipped_results
    from rlgen.ui import sd3 as tab

    table = chinese()
    runs = shipped_results()
    names = {n for run in runs.values() for arm, values in run["summary"].items() for n in (arm, *values)}
    assert names - {"SSIM"} <= set(table), sorted(names - set(table))
    assert all(name in table for name in EXPERIMENTS)
    with reader(accept_language="zh-CN"):
        _, summary, _ = tab.initial_shipped("qk_norm")
    assert summary.startswith("最终数值") and "训练损失" in summary and "training loss" not in summary


def test_kimivl_accuracy_table_and_chat_in_chinese():
    from rlgen.ui import vlm as tab

    table = chinese()
    assert all(name in table for name in tab.KIND_NAMES.values())
    with reader(accept_language="zh-CN"):
        text = tab.shipped_summary()
        assert "| 问题类型 | 模型 | 盲答 | 空白图像 |" in text and "| 计数 |" in text
        assert tab.chat_messages([("How many shapes are there?", "")])[1]["content"] == "（空回答）"
        with pytest.raises(ValueError, match="请先添加一张图像"):
            tab.prepared_images([None, None], 1.0)
