"""Texts of the figures the diffusion package draws (SD3's experiments)."""

ZH = {
    "(no data yet)": "（暂无数据）",
    "training step": "训练步数",
}
