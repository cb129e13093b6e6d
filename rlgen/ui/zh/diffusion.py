"""Diffusion / ControlNet (扩散模型 / ControlNet): the tab's texts in Chinese. Prompts stay English: the tiny text
encoder reads English words only."""

ZH = {
    # the page
    r"""
### Generate 32×32 images from a caption and a control map
Two denoisers of the same architecture (a `UNet2DConditionModel` reading a tiny `CLIPTextModel`), trained here on
procedural shapes: one with the **ε (DDPM) objective**, one with **rectified flow** as in Stable Diffusion 3.
A **ControlNet** on the flow model follows canny edges or a filled mask. Pick a sampler: *Flow Euler* uses the
flow model (and the ControlNet); the others use the ε model, which has no ControlNet.
""": r"""
### 由一句描述和一张控制图生成 32×32 的图像
两个结构相同的去噪网络（`UNet2DConditionModel`，读取一个很小的 `CLIPTextModel` 的文本编码），都在本项目中用程序生成的图形训练：一个用 **ε（DDPM）目标**，另一个像 Stable Diffusion 3 那样用**整流（Rectified Flow）**。流模型上的 **ControlNet** 跟随 Canny 边缘或填充的掩码。选择采样器：*Flow Euler* 使用流模型（以及 ControlNet）；其余采样器使用 ε 模型，它没有 ControlNet。
""",
    r"""
**Forward noising (DDPM).** $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$, $\varepsilon\sim\mathcal N(0, I)$.

**ε-objective.** $\min_\theta\ \mathbb E_{t,x_0,\varepsilon}\,\|\varepsilon - \varepsilon_\theta(x_t, t, c)\|^2$; sampling walks
$t = T \to 0$ (DDPM adds fresh noise each step, DDIM/DPM-Solver++ follow the deterministic ODE).

**Rectified flow (flow matching).** $x_t = (1-t)\,x_0 + t\,\varepsilon$ and
$\min_\theta\ \mathbb E\,\|v_\theta(x_t, t, c) - (\varepsilon - x_0)\|^2$ with $t \sim$ logit-normal (SD3). Straight paths: an
Euler step $x_{t-\Delta} = x_t - \Delta\, v_\theta$ is exact when the path is straight, so few steps suffice.

**Predicted x₀** (the trajectory's second row): $\hat x_0 = x_t - t\,v_\theta$ (flow) or
$(x_t - \sqrt{1-\bar\alpha_t}\,\varepsilon_\theta)/\sqrt{\bar\alpha_t}$ (ε).

**Classifier-free guidance.** $\hat v = v_\theta(x_t,\varnothing) + w\,(v_\theta(x_t, c) - v_\theta(x_t,\varnothing))$; 10 % of
training captions were blank, so an empty prompt generates unconditionally.

**ControlNet.** A trainable copy $\mathcal F(\cdot;\Theta_c)$ of the UNet's encoder reads the control map $c_f$; its
features join the frozen UNet through **zero convolutions** $\mathcal Z$:
$y_c = \mathcal F(x;\Theta) + \mathcal Z\big(\mathcal F(x + \mathcal Z(c_f;\Theta_{z1});\Theta_c);\Theta_{z2}\big)$. At the start
$\mathcal Z = 0$, so the model is exactly the base model and training cannot damage it.
""": r"""
**前向加噪（DDPM）。** $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$，$\varepsilon\sim\mathcal N(0, I)$。

**ε 目标。** $\min_\theta\ \mathbb E_{t,x_0,\varepsilon}\,\|\varepsilon - \varepsilon_\theta(x_t, t, c)\|^2$；采样从 $t = T \to 0$ 逐步进行（DDPM 每一步加入新的噪声，DDIM/DPM-Solver++ 沿确定性的常微分方程前进）。

**整流（Rectified Flow，流匹配）。** $x_t = (1-t)\,x_0 + t\,\varepsilon$，目标为 $\min_\theta\ \mathbb E\,\|v_\theta(x_t, t, c) - (\varepsilon - x_0)\|^2$，其中 $t \sim$ logit-normal（SD3）。路径是直的：路径为直线时，一步欧拉更新 $x_{t-\Delta} = x_t - \Delta\, v_\theta$ 就是精确的，所以很少的步数就够了。

**预测的 x₀**（轨迹图的第二行）：$\hat x_0 = x_t - t\,v_\theta$（流模型）或 $(x_t - \sqrt{1-\bar\alpha_t}\,\varepsilon_\theta)/\sqrt{\bar\alpha_t}$（ε 模型）。

**无分类器引导。** $\hat v = v_\theta(x_t,\varnothing) + w\,(v_\theta(x_t, c) - v_\theta(x_t,\varnothing))$；训练时有 10 % 的描述是空的，所以空提示词会无条件地生成。

**ControlNet。** UNet 编码器的一个可训练副本 $\mathcal F(\cdot;\Theta_c)$ 读取控制图 $c_f$，它的特征通过**零卷积** $\mathcal Z$ 并入冻结的 UNet：$y_c = \mathcal F(x;\Theta) + \mathcal Z\big(\mathcal F(x + \mathcal Z(c_f;\Theta_{z1});\Theta_c);\Theta_{z2}\big)$。开始时 $\mathcal Z = 0$，模型与基础模型完全相同，训练不会破坏它。
""",
    "**Words the tiny model knows** — shapes: {shapes}; colours: {colours}. Write e.g. "
    '*"a red star on a blue background"* or *"an orange circle on a black background"*; '
    "leave it empty for an unconditional sample.":
        "**小模型认识的词**（提示词须用英文）— 形状：{shapes}；颜色：{colours}。例如写 "
        '*"a red star on a blue background"* 或 *"an orange circle on a black background"*；'
        "留空则无条件地生成。",
    "Prompt": "提示",
    "at most 200 characters": "最多 200 个字符",
    "Control image from": "控制图像来源",
    "sample": "示例图像",
    "upload": "上传",
    "sketch": "手绘",
    "none": "无",
    "Sample image": "示例图像",
    "star, top left (procedural)": "左上角的小星形（程序生成）",
    "star (procedural)": "星形（程序生成）",
    "circle (procedural)": "圆形（程序生成）",
    "triangle (procedural)": "三角形（程序生成）",
    "square (procedural)": "正方形（程序生成）",
    "astronaut": "宇航员",
    "coffee": "咖啡",
    "chelsea (cat)": "Chelsea（猫）",
    "rocket": "火箭",
    "camera": "摄影师",
    "horse (silhouette)": "马（剪影）",
    "Upload (resized to ≤ {side} px on the long side)": "上传（长边缩放到 ≤ {side} 像素）",
    "Sketch (black on white)": "手绘（白底黑线）",
    "Preprocessor": "预处理器",
    "canny": "Canny 边缘",
    "mask": "掩码",
    "Canny low threshold": "低阈值",
    "Canny high threshold": "高阈值",
    "Control image": "控制图像",
    "Control map (what the ControlNet sees)": "ControlNet 输入",
    "tiny (shipped)": "小模型（随项目发布）",
    "Model (real weights are switched on)": "模型（已启用真实权重）",
    "Sampler": "采样器",
    "Steps (≤ {n})": "步数（≤ {n}）",
    "Images (≤ {n})": "图像数（≤ {n}）",
    "Guidance scale w": "引导强度 w",
    "Control strength": "控制强度",
    "Also run the same seed with ControlNet off": "同时用相同种子关闭 ControlNet 再生成一次",
    "Generate": "生成",
    "Stop": "停止",
    "Status": "状态",
    "Shown: the default prompt and control map with seed 0. Press Generate.": "图中是默认提示词和控制图、随机种子 0 的结果。请按“生成”。",
    "Generated": "生成结果",
    "Same seed, ControlNet off": "相同种子，关闭 ControlNet",
    "Denoising trajectory of the first image: x_t and predicted x₀": "第一张图像的去噪轨迹：x_t 与预测的 x₀",
    "DDPM vs rectified flow by number of steps": "不同步数下的 DDPM 与整流对比",
    "Compare at 1, 2, 4, 8 and 20 steps": "在 1、2、4、8、20 步下对比",
    "Same prompt and noise seed": "相同的提示词和噪声种子",
    "The equations": "公式",
    # handlers' messages
    "Upload an image first (or pick a sample image).": "请先上传一张图像（或选择一张示例图像）。",
    "Draw something on the sketchpad first.": "请先在画板上画点什么。",
    "Unknown control source {source!r}; choose one of: {sources}.": "未知的控制图像来源 {source!r}；可选：{sources}。",
    "The canny low threshold ({low:g}) must not exceed the high one ({high:g}).":
        "Canny 低阈值（{low:g}）不能超过高阈值（{high:g}）。",
    "Upload an image to use as the control image.": "上传一张图像作为控制图像。",
    "Draw on the sketchpad: black strokes on white.": "在画板上作画：白底黑线。",
    "No control map: the image follows the prompt alone.": "没有控制图：图像只跟随提示词。",
    "{preprocessor} map at {size}×{size}: {on:.0%} of pixels on.":
        "{preprocessor} 控制图，{size}×{size}：{on:.0%} 的像素为前景。",
    "The real ControlNet pipelines need a control map: pick a control image and canny or mask.":
        "真实的 ControlNet 流水线需要控制图：请选择一张控制图像，并选用 Canny 边缘或掩码。",
    "{model}: {steps} steps · seed {seed}. {note}": "{model}：{steps} 步 · 种子 {seed}。{note}",
    "Unknown model {model!r}; the models are: {models}.": "未知的模型 {model!r}；可选模型：{models}。",
    "Unknown to the tiny model (ignored in effect): {words}.": "小模型不认识这些词（实际上被忽略）：{words}。",
    "Empty prompt: an unconditional sample.": "提示词为空：无条件生成。",
    "The ControlNet belongs to the rectified-flow model; the ε model ignores the control map.":
        "ControlNet 属于整流模型；ε 模型会忽略控制图。",
    "Step {step}/{total} · seed {seed} · {sampler}. ": "第 {step}/{total} 步 · 种子 {seed} · {sampler}。",
    " Right: the same seed with ControlNet off.": " 右侧：相同种子、关闭 ControlNet 的结果。",
    " (ControlNet off needs a control map and Flow Euler.)": "（关闭 ControlNet 的对比需要控制图和 Flow Euler 采样器。）",
}
