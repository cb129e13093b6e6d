"""What the diffusion package (扩散模型, ControlNet, SD3/MMDiT, 整流) says when an input is outside what it accepts
(``InputError`` templates)."""

ZH = {
    "Unknown pipeline {name!r}; the pipelines are: {checkpoints}.": "未知管线 {name!r}；现有管线：{checkpoints}。",
    "No trained {name!r} pipeline at {directory}; run `python -m rlgen train diffusion`.":
        "{directory} 中没有训练好的 {name!r} 管线；请运行 `python -m rlgen train diffusion`。",
    "Unknown sample image {name!r}; the samples are: {samples}.": "未知示例图像 {name!r}；现有示例：{samples}。",
    "Unknown preprocessor {kind!r}; choose one of: {preprocessors}.": "未知预处理器 {kind!r}；请从以下预处理器中选择：{preprocessors}。",
    "That file is not an image I can read (PNG, JPEG, WebP, ...): {name}.": "该文件不是可读取的图像（PNG、JPEG、WebP……）：{name}。",
    "The prompt is {n_chars} characters long; the cap is {max_prompt_chars}.": "提示长 {n_chars} 个字符；上限为 {max_prompt_chars}。",
    "Steps must be a whole number from 1 to {max_steps} (got {steps:g}).": "步数必须是 1 到 {max_steps} 之间的整数（收到 {steps:g}）。",
    "Number of images must be a whole number from 1 to {max_images} (got {n_images:g}).":
        "图像数量必须是 1 到 {max_images} 之间的整数（收到 {n_images:g}）。",
    "Guidance scale must lie between 0 and 20 (got {guidance:g}).": "引导系数必须在 0 到 20 之间（收到 {guidance:g}）。",
    "Control strength must lie between 0 and 2 (got {strength:g}).": "控制强度必须在 0 到 2 之间（收到 {strength:g}）。",
    "Unknown sampler {sampler!r}.": "未知采样器 {sampler!r}。",
    "No trained classifier at {directory}; run `python -m rlgen train diffusion`.":
        "{directory} 中没有训练好的分类器；请运行 `python -m rlgen train diffusion`。",
    "Unknown sampler {name!r}; the samplers are: {samplers}.": "未知采样器 {name!r}；现有采样器：{samplers}。",
    "Steps must lie between 1 and {max_steps} (got {num_inference_steps}).":
        "步数必须在 1 到 {max_steps} 之间（收到 {num_inference_steps}）。",
    "At most {max_images} images at a time (asked for {n}).": "一次最多 {max_images} 张图像（请求了 {n} 张）。",
    "This pipeline has no ControlNet; load the 'controlnet' pipeline to use a control map.":
        "这条管线没有 ControlNet；请载入 'controlnet' 管线以使用控制图。",
    "output_type must be 'pil', 'np' or 'pt' (got {output_type!r}).": "output_type 必须是 'pil'、'np' 或 'pt'（收到 {output_type!r}）。",
    "{key!r} is not on the allow-list: {real_models}.": "{key!r} 不在允许列表中：{real_models}。",
    "Real weights are off: set RLGEN_REAL_WEIGHTS=1 on a host with a GPU and network access.":
        "真实权重未开启：请在有 GPU 且能联网的主机上设置 RLGEN_REAL_WEIGHTS=1。",
    "No trained MMDiT at {directory}; run `python -m rlgen train diffusion-mmdit`.":
        "{directory} 中没有训练好的 MMDiT；请运行 `python -m rlgen train diffusion-mmdit`。",
    "Unknown experiment {name!r}; the experiments are: {experiments}.": "未知实验 {name!r}；现有实验：{experiments}。",
    "A run takes a whole number of steps from 10 to {max_steps} (got {steps:g}).":
        "训练步数必须是 10 到 {max_steps} 之间的整数（收到 {steps:g}）。",
    "The seed must be a whole number from 0 to {max_seed} (got {seed}).": "随机种子必须是 0 到 {max_seed} 之间的整数（收到 {seed}）。",
    "No shipped SD3 experiment results at {path}; run `python -m rlgen train diffusion-sd3-experiments`.":
        "{path} 中没有随项目发布的 SD3 实验结果；请运行 `python -m rlgen train diffusion-sd3-experiments`。",
    "Timestep sampling must be one of {timestep_sampling} (got {sampling!r}).":
        "时间步采样方式必须是 {timestep_sampling} 之一（收到 {sampling!r}）。",
    "Nothing to resume at {directory}.": "{directory} 中没有可恢复的训练。",
    "Unknown shape {shape!r}; the shapes are: {shapes}.": "未知形状 {shape!r}；现有形状：{shapes}。",
    "Canny needs 0 <= low threshold <= high threshold (got {low:g} and {high:g}).":
        "Canny 边缘检测需要 0 <= 低阈值 <= 高阈值（收到 {low:g} 和 {high:g}）。",
    "A scene holds one or two shapes (got {n_shapes}).": "一个场景包含一个或两个形状（收到 {n_shapes} 个）。",
    "objective must be 'flow' or 'epsilon' (got {objective!r}).": "objective 必须是 'flow'（流匹配）或 'epsilon'（噪声预测）（收到 {objective!r}）。",
}
