"""Texts of the figures the vision-language package draws (KimiVL's MoE router)."""

ZH = {
    "vision tokens (mean)": "视觉词元（平均）",
    "layer {layer} (MoE)": "第 {layer} 层（MoE）",
    "expert %{x}": "专家 %{x}",
    "weight %{z:.2f}<extra></extra>": "权重 %{z:.2f}<extra></extra>",
    "router weight": "路由权重",
    "Which routed experts each token went to (top-2 of 8; the shared expert sees every token)":
        "每个词元被路由到哪些专家（8 个中选前 2 个；共享专家处理所有词元）",
    "routed expert": "路由专家",
}
