"""What the generative-model lab (生成模型实验室: 自回归, 流匹配, 分数匹配, 朗之万动力学, SDE) says when an input is
outside what it accepts (``InputError`` templates)."""

ZH = {
    "Unknown model {kind!r}; choose one of: {models}.": "未知模型 {kind!r}；请从以下模型中选择：{models}。",
    "Training steps must lie between 1 and {max_ar_steps} (got {steps}).": "训练步数必须在 1 到 {max_ar_steps} 之间（收到 {steps}）。",
    "The learning rate must lie in (0, 0.5] (got {lr}).": "学习率必须在 (0, 0.5] 内（收到 {lr}）。",
    "The batch size must lie between 1 and 2000 (got {batch}).": "批大小必须在 1 到 2000 之间（收到 {batch}）。",
    "The weight decay must lie in [0, 1] (got {weight_decay}).": "权重衰减必须在 [0, 1] 内（收到 {weight_decay}）。",
    "A prefix holds at most {n_pixels} pixels, each 0 or 1.": "前缀最多包含 {n_pixels} 个像素，每个为 0 或 1。",
    "Draw between 1 and 1000 images at once (got {n}).": "一次可采样 1 到 1000 张图像（收到 {n}）。",
    "NADE's hidden size must lie between 1 and {max_hidden} (got {hidden}).":
        "NADE 的隐藏层大小必须在 1 到 {max_hidden} 之间（收到 {hidden}）。",
    "Flow steps must lie between 1 and {max_flow_steps} (got {steps}).": "流的步数必须在 1 到 {max_flow_steps} 之间（收到 {steps}）。",
    "At most 5000 points can be sampled at once (got {n_x0}).": "一次最多采样 5000 个点（收到 {n_x0}）。",
    "Reflow needs 100 to 20000 pairs (got {pairs}).": "Reflow（再整流）需要 100 到 20000 个样本对（收到 {pairs}）。",
    "Unknown method {method!r}; choose one of: {methods}.": "未知方法 {method!r}；请从以下方法中选择：{methods}。",
    "MMD needs two point sets of the same dimension with at least 2 points each.":
        "MMD 需要两个维数相同、各至少有 2 个点的点集。",
    "Training steps must lie between 1 and {max_steps} (got {steps}).": "训练步数必须在 1 到 {max_steps} 之间（收到 {steps}）。",
    "The batch size must lie between 8 and {max_batch} (got {batch}).": "批大小必须在 8 到 {max_batch} 之间（收到 {batch}）。",
    "The learning rate must lie in (0, 0.1] (got {lr}).": "学习率必须在 (0, 0.1] 内（收到 {lr}）。",
    "The noise ladder needs 0 < σ_min < σ_max and 2 to 50 levels.": "噪声阶梯需要满足 0 < σ_min < σ_max，且有 2 到 50 个噪声级别。",
    "The number of samples must lie between 1 and {max_samples} (got {n}).": "样本数必须在 1 到 {max_samples} 之间（收到 {n}）。",
    "Langevin steps per level must lie between 1 and 1000 (got {steps_per_level}).":
        "每个噪声级别的朗之万步数必须在 1 到 1000 之间（收到 {steps_per_level}）。",
    "Sampler steps must lie between 1 and {max_sampler_steps} (got {steps}).":
        "采样器步数必须在 1 到 {max_sampler_steps} 之间（收到 {steps}）。",
    "At most 5000 points can be sampled at once (got {n_x_t}).": "一次最多采样 5000 个点（收到 {n_x_t}）。",
    "DDPM needs 10 to 1000 steps (got {t}).": "DDPM 需要 10 到 1000 步（收到 {t}）。",
    "Click at least {min_user_points} points on the canvas first (you have {n_points}).":
        "请先在画布上至少点击 {min_user_points} 个点（当前有 {n_points} 个）。",
    "At most {max_user_points} points can be drawn (you have {n_points}).": "最多可以画 {max_user_points} 个点（当前有 {n_points} 个）。",
    "Points must lie inside the canvas [-{canvas_limit:g}, {canvas_limit:g}]².":
        "点必须位于画布 [-{canvas_limit:g}, {canvas_limit:g}]² 之内。",
    "Unknown data set {name!r}; choose one of: {datasets}.": "未知数据集 {name!r}；请从以下数据集中选择：{datasets}。",
    "The number of points must lie between 1 and {max_points} (got {n}).": "点数必须在 1 到 {max_points} 之间（收到 {n}）。",
}
