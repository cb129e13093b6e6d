"""Generative lab (生成模型实验室): 分数匹配, 随机微分方程, 整流 (Rectified Flow) and 自回归模型, in the Chinese terms."""

from rlgen.ui.i18n import joined

ZH = {
    "Shown: NADE trained with the settings above when the app started. Press Train to train your own.":
        "图中是应用启动时按上面的设置训练出的 NADE。按“训练”训练你自己的模型。",
    "Shown: a model trained with the settings above when the app started. Press Start to train your own.":
        "图中是应用启动时按上面的设置训练出的模型。按“开始”训练你自己的模型。",
    # names of the numbers the tab checks (the check's message is shared)
    "Training steps": "训练步数",
    "The noise-level slider": "噪声水平滑块",
    "2-D: score, SDE, flow": "二维：分数、SDE、流",
    # what the models know, and the note when the data set changed after training
    ("**What a model here knows:** only the data it was just trained on — the 2-D data set chosen above, or the "
     "points you draw in the square [-3, 3]². It knows nothing of images or words: a model trained on *two moons* "
     "samples two arcs, and for *circles* you train again."):
        "**这里的模型知道什么：** 只知道它刚刚训练所用的数据——上面选定的二维数据集，或你在 [-3, 3]² 方格中画的点。"
        "它对图像和文字一无所知：在*双月*上训练的模型采样出两段弧线，换成*同心圆*就要重新训练。",
    ("**What these models know:** 8×8 black-and-white digits 0–9 (scikit-learn's 1,797 handwritten digits, pixels "
     "on above half intensity), nothing else: samples look like such digits, e.g. a 0 or a 7 in a 64-pixel grid."):
        "**这些模型知道什么：** 只有 8×8 的黑白数字 0–9（scikit-learn 的 1,797 个手写数字，亮度过半的像素为“亮”），"
        "别无其他：采样结果就像这样的数字，例如 64 像素方格里的一个 0 或 7。",
    ("The model below was trained on {trained}, not on {dataset}: its field and sampler paths still show {trained}. "
     "Press Start to train one on {dataset}."):
        "下面的模型是在{trained}上训练的，而不是在{dataset}上：它的向量场和采样路径仍然对应{trained}。"
        "按“开始”在{dataset}上训练一个新模型。",
    "Autoregressive digits": "自回归数字",
    # data sets and methods (shown names; the handlers receive the English values)
    "two moons": "双月",
    "swiss roll": "瑞士卷",
    "8 gaussians": "8 个高斯",
    "checkerboard": "棋盘格",
    "circles": "同心圆",
    "gaussian mixture": "高斯混合",
    "your points": "你画的点",
    "SMLD: score matching + annealed Langevin": "SMLD：分数匹配 + 退火朗之万动力学",
    "VE SDE: reverse SDE vs probability-flow ODE": "VE SDE：逆向 SDE 与概率流 ODE",
    "VP SDE: reverse SDE vs probability-flow ODE": "VP SDE：逆向 SDE 与概率流 ODE",
    "DDPM (discrete, 100 steps)": "DDPM（离散，100 步）",
    "Rectified flow + reflow": "整流（Rectified Flow）+ 重流",
    # training phases
    "denoising score matching": "去噪分数匹配",
    "VE SDE score matching": "VE SDE 分数匹配",
    "VP SDE score matching": "VP SDE 分数匹配",
    "DDPM ε-prediction": "DDPM ε 预测",
    "rectified flow (1-RF)": "整流（1-RF）",
    "reflow (2-RF)": "重流（2-RF）",
    # controls
    "Data set": "数据集",
    "Method": "方法",
    "Training steps (≤ {n})": "训练步数（≤ {n}）",
    "Start": "开始",
    "Stop": "停止",
    "Status": "状态",
    "Draw your own data (data set: “your points”)": "自己画数据（数据集：“你画的点”）",
    "Clear points": "清除所有点",
    "Data and samples": "数据与样本",
    "Training loss": "训练损失",
    "Learned field": "学到的场",
    "Noise level σ (0 = the smallest σ, at the data; 1 = the largest, pure noise)":
        "噪声水平 σ（0 = 最小的 σ，即数据端；1 = 最大的 σ，纯噪声）",
    "Time t of the SDE (0 = the data end, 1 = the noise end)": "SDE 的时间 t（0 = 数据端，1 = 噪声端）",
    "Step k (0 = the first step, at the data; 1 = the last, pure noise)": "步数 k（0 = 第一步，即数据端；1 = 最后一步，纯噪声）",
    "Noise level 1 − t (0: t = 1, the data; 1: t = 0, the noise)": "噪声水平 1 − t（0：t = 1，数据端；1：t = 0，噪声端）",
    "Sampler paths": "采样路径",
    "Animate sampling": "播放采样动画",
    "New starting points (seed box)": "换一批起点（用种子框）",
    "One-step samples": "一步采样",
    "Learned vs exact": "学到的与精确的对比",
    "Model": "模型",
    "Training steps (minibatches of 128)": "训练步数（每步 128 个样本的小批量）",
    "NADE hidden units": "NADE 隐藏单元数",
    "Train": "训练",
    "Negative log-likelihood": "负对数似然",
    "Samples": "样本",
    "Drawing a sample": "逐像素绘制样本",
    "Conditional probabilities": "条件概率",
    "Complete a held-out digit (top half given)": "补全一张留出集数字（给定上半部分）",
    "Draw a sample pixel by pixel": "逐像素画出一个样本",
    # handlers
    "Unknown data set {dataset!r}; choose one of: {choices}.": "未知的数据集 {dataset!r}；请从以下选择：{choices}。",
    "Your points: click at least {n} on the canvas (left)": "你画的点：请在左侧画布上至少点 {n} 个点",
    "Data: {dataset} — press Start to train a model": "数据：{dataset} —— 按“开始”训练模型",
    "Train a model first (press Start).": "请先训练一个模型（按“开始”）。",
    "{phase}: step {step}/{total}, loss {loss:.4f}, {seconds:.1f} s":
        "{phase}：第 {step}/{total} 步，损失 {loss:.4f}，{seconds:.1f} 秒",
    "{method} — step {step} of {total}": "{method} —— 第 {step}/{total} 步",
    "Training loss ({phase})": "训练损失（{phase}）",
    "Done: {steps} steps in {seconds:.1f} s; final loss {loss:.4f}; sample MMD² to fresh data "
    "{mmd:.4f} (0 = indistinguishable)":
        "完成：{steps} 步，用时 {seconds:.1f} 秒；最终损失 {loss:.4f}；样本与新抽数据的 MMD² 为 {mmd:.4f}"
        "（0 = 无法区分）",
    "{method}: {n} samples after training": "{method}：训练后的 {n} 个样本",
    "At most {n} points can be drawn; clear some first.": "最多只能画 {n} 个点；请先清除一些。",
    "beats": "优于",
    "does not beat yet": "尚未优于",
    "Done": "完成",
    "Training": "训练中",
    "{state} {kind}: step {step}/{total}, held-out {bits:.2f} bits/image ({verdict} the independent baseline's "
    "{baseline:.2f}), {seconds:.1f} s":
        "{state} {kind}：第 {step}/{total} 步，留出集 {bits:.2f} 比特/图像（{verdict}独立像素基线的 {baseline:.2f}），"
        "{seconds:.1f} 秒",
    "16 samples from {kind} at step {step}": "{kind} 在第 {step} 步的 16 个样本",
    "Train FVSBN or NADE first (press Train).": "请先训练 FVSBN 或 NADE（按“训练”）。",
    "copied from a held-out digit": "复制自留出集数字",
    "drawn with p(= 1) = {p:.3f}": "按 p(= 1) = {p:.3f} 抽取",
    "pixel {i} of {n}: {what}": "第 {i}/{n} 个像素：{what}",
    "{kind}: pixel {i}/{n}": "{kind}：第 {i}/{n} 个像素",
}

# Markdown with LaTeX (used as it is: its braces are LaTeX, not placeholders)
LATEX_TEXTS = {
    r"""
### Why the image generator works, on data small enough to train while you watch
A diffusion model learns the **score** $\nabla_x \log p_\sigma(x)$ of the data blurred by noise of size $\sigma$,
then walks noise back to data along it. Pick a 2-D data set and a method and press **Start**: the samples, the
learned field and the loss update live (each model trains in seconds on one CPU thread). The last tab trains
autoregressive models that give the **exact likelihood** $p(x) = \prod_i p(x_i \mid x_{<i})$ of 8×8 digits.
""": r"""
### 图像生成器为什么能工作：用小到能边看边训练的数据来演示
扩散模型学习被大小为 $\sigma$ 的噪声模糊之后的数据的**分数** $\nabla_x \log p_\sigma(x)$，
再沿着它把噪声一步步走回数据。选一个二维数据集和一种方法，按**开始**：样本、学到的场和损失都会实时更新
（每个模型在一个 CPU 线程上几秒就能训练好）。最后一个标签页训练自回归模型，它们给出 8×8 数字图像的
**精确似然** $p(x) = \prod_i p(x_i \mid x_{<i})$。
""",
    r"""**Denoising score matching** over a ladder $\sigma_1 > \dots > \sigma_L$:
$$\min_\theta \; \mathbb{E}_{\sigma}\,\mathbb{E}_{x,z}\big\|\sigma\, s_\theta(x+\sigma z, \sigma) + z\big\|^2$$
whose minimiser is $s_\theta(\cdot,\sigma) = \nabla \log p_\sigma$. Arrows point uphill in density; at large $\sigma$
they all point to the middle, at small $\sigma$ to the nearest piece of data.""": r"""**去噪分数匹配**，在噪声阶梯 $\sigma_1 > \dots > \sigma_L$ 上：
$$\min_\theta \; \mathbb{E}_{\sigma}\,\mathbb{E}_{x,z}\big\|\sigma\, s_\theta(x+\sigma z, \sigma) + z\big\|^2$$
其最优解是 $s_\theta(\cdot,\sigma) = \nabla \log p_\sigma$。箭头指向密度上升的方向；$\sigma$ 大时
箭头都指向中间，$\sigma$ 小时指向最近的那一片数据。""",
    r"""**VE SDE** $dx = \sqrt{d\sigma^2(t)/dt}\, dw$, $\sigma(t) = \sigma_{min}(\sigma_{max}/\sigma_{min})^t$, so
$x_t = x_0 + \sigma(t) z$. The net learns $s_\theta(x,t) \approx \nabla \log p_t(x)$ for every $t \in [\epsilon, 1]$
by the same denoising loss, weighted by $\sigma(t)^2$.""": r"""**VE SDE** $dx = \sqrt{d\sigma^2(t)/dt}\, dw$，$\sigma(t) = \sigma_{min}(\sigma_{max}/\sigma_{min})^t$，因此
$x_t = x_0 + \sigma(t) z$。网络用同样的去噪损失（按 $\sigma(t)^2$ 加权）对每个 $t \in [\epsilon, 1]$
学习 $s_\theta(x,t) \approx \nabla \log p_t(x)$。""",
    r"""**VP SDE** $dx = -\tfrac12\beta(t)\,x\,dt + \sqrt{\beta(t)}\,dw$: the data shrink while noise grows,
$x_t = \alpha(t) x_0 + \sqrt{1-\alpha^2}\, z$ with $\alpha(t) = e^{-\frac12\int_0^t \beta}$ — the continuous limit of
DDPM. Arrows: $s_\theta(x,t) \approx \nabla \log p_t(x)$.""": r"""**VP SDE** $dx = -\tfrac12\beta(t)\,x\,dt + \sqrt{\beta(t)}\,dw$：数据收缩的同时噪声增长，
$x_t = \alpha(t) x_0 + \sqrt{1-\alpha^2}\, z$，其中 $\alpha(t) = e^{-\frac12\int_0^t \beta}$ —— 即 DDPM 的
连续极限。箭头：$s_\theta(x,t) \approx \nabla \log p_t(x)$。""",
    r"""**DDPM**: $x_k = \sqrt{\bar\alpha_k}\,x_0 + \sqrt{1-\bar\alpha_k}\,\varepsilon$ over 100 steps; the net predicts the noise,
$\min \|\varepsilon - \varepsilon_\theta(x_k, k)\|^2$. The score is $-\varepsilon_\theta/\sqrt{1-\bar\alpha_k}$ (the arrows).""": r"""**DDPM**：共 100 步，$x_k = \sqrt{\bar\alpha_k}\,x_0 + \sqrt{1-\bar\alpha_k}\,\varepsilon$；网络预测噪声，
$\min \|\varepsilon - \varepsilon_\theta(x_k, k)\|^2$。分数为 $-\varepsilon_\theta/\sqrt{1-\bar\alpha_k}$（即箭头）。""",
    r"""**Rectified flow** learns the velocity of straight lines from noise $x_0$ to data $x_1$:
$$\min_\theta\; \mathbb{E}_t \big\| v_\theta\big((1-t)x_0 + t x_1, t\big) - (x_1 - x_0)\big\|^2 .$$
Arrows: $v_\theta(x, t)$ (after reflow: the 2-RF velocity). $t = 0$ is noise, $t = 1$ is data.""": r"""**整流（Rectified Flow）** 学习从噪声 $x_0$ 到数据 $x_1$ 的直线的速度：
$$\min_\theta\; \mathbb{E}_t \big\| v_\theta\big((1-t)x_0 + t x_1, t\big) - (x_1 - x_0)\big\|^2 .$$
箭头：$v_\theta(x, t)$（重流之后：2-RF 的速度）。$t = 0$ 是噪声，$t = 1$ 是数据。""",
    r"""**Annealed Langevin dynamics**: at each level, $T$ steps of
$$x \leftarrow x + \tfrac{\alpha_i}{2}\, s_\theta(x, \sigma_i) + \sqrt{\alpha_i}\, z, \quad \alpha_i = \eta\,\sigma_i^2,$$
from $x \sim \mathcal N(0, \sigma_1^2 I)$. Each dot is a chain's position after one level: big noisy jumps first,
then small moves onto the data.""": r"""**退火朗之万动力学**：在每个噪声级上走 $T$ 步
$$x \leftarrow x + \tfrac{\alpha_i}{2}\, s_\theta(x, \sigma_i) + \sqrt{\alpha_i}\, z, \quad \alpha_i = \eta\,\sigma_i^2,$$
从 $x \sim \mathcal N(0, \sigma_1^2 I)$ 出发。每个点是一条链走完一个噪声级后的位置：先是带噪声的大跳，
再小步移到数据上。""",
    r"""**Reverse-time SDE** (left) $dx = [f - g^2 \nabla\log p_t]\,dt + g\,d\bar w$ and the **probability-flow ODE**
(right) $dx/dt = f - \tfrac12 g^2 \nabla \log p_t$, integrated from the **same** starting noise. Both have the
marginals $p_t$; the SDE's paths jitter and land anywhere, the ODE's are smooth and deterministic.""": r"""**逆时间 SDE**（左）$dx = [f - g^2 \nabla\log p_t]\,dt + g\,d\bar w$ 与**概率流 ODE**
（右）$dx/dt = f - \tfrac12 g^2 \nabla \log p_t$，从**同一份**起始噪声积分。两者的边缘分布都是
$p_t$；SDE 的路径抖动、落点随机，ODE 的路径平滑而确定。""",
    r"""**Ancestral sampling**: $x_{k-1} = \frac{1}{\sqrt{\alpha_k}}\big(x_k - \frac{\beta_k}{\sqrt{1-\bar\alpha_k}}
\varepsilon_\theta\big) + \sqrt{\beta_k}\, z$. The same starting points with two different noise draws end in
different places: DDPM sampling is a discretised reverse SDE.""": r"""**祖先采样**：$x_{k-1} = \frac{1}{\sqrt{\alpha_k}}\big(x_k - \frac{\beta_k}{\sqrt{1-\bar\alpha_k}}
\varepsilon_\theta\big) + \sqrt{\beta_k}\, z$。同样的起点配上两次不同的噪声抽样，会落到不同的地方：
DDPM 采样就是离散化的逆向 SDE。""",
    r"""**ODE paths** $dx/dt = v_\theta(x,t)$ from the same noise. 1-RF's paths bend (independent pairs cross, and the
learned velocity averages them); **reflow** retrains on the pairs $(x_0, \mathrm{ODE}_1(x_0))$ it produced, which
do not cross, so 2-RF's paths are nearly straight. Straightness
$S = \int_0^1 \mathbb E\|(x_1 - x_0) - \dot x_t\|^2 dt$ (0 = straight).""": r"""从同一份噪声出发的 **ODE 路径** $dx/dt = v_\theta(x,t)$。1-RF 的路径是弯的（独立配对会交叉，
学到的速度把它们平均了）；**重流（reflow）**在它自己生成的配对 $(x_0, \mathrm{ODE}_1(x_0))$ 上重新训练，
这些配对不交叉，所以 2-RF 的路径几乎是直的。直度
$S = \int_0^1 \mathbb E\|(x_1 - x_0) - \dot x_t\|^2 dt$（0 = 直线）。""",
    r"""**One Euler step** $x_1 = x_0 + v_\theta(x_0, 0)$ lands on $\mathbb E[x_1 \mid x_0]$. For 1-RF that is an average
over many data points (a blur in the middle); after reflow each $x_0$ has one partner, so one step is nearly
enough. MMD² compares the samples with the data (0 = same distribution).""": r"""**一步欧拉** $x_1 = x_0 + v_\theta(x_0, 0)$ 落在 $\mathbb E[x_1 \mid x_0]$ 上。对 1-RF 来说，这是许多数据点的
平均（中间一团模糊）；重流之后每个 $x_0$ 只有一个配对，所以一步就差不多够了。MMD² 比较样本与数据
（0 = 同一分布）。""",
    r"""For a Gaussian mixture $p = \sum_k w_k \mathcal N(\mu_k, s_k^2 I)$ the noised marginal is again a mixture
($\mu_k \to \alpha\mu_k$, $s_k^2 \to \alpha^2 s_k^2 + \sigma^2$), so its score is known exactly:
$$\nabla \log p_\sigma(x) = \sum_k r_k(x)\, \frac{\alpha\mu_k - x}{\alpha^2 s_k^2 + \sigma^2}$$
with $r_k$ the posterior weight of component $k$. Right: $\|s_\theta - s\| / \|s\|$ on a grid (capped at 1; far
from the data both are large and the net has seen no examples). For rectified flow the exact velocity of 1-RF is
$(x + (1-t)\nabla\log p_t(x))/t$.""": r"""对高斯混合 $p = \sum_k w_k \mathcal N(\mu_k, s_k^2 I)$，加噪后的边缘分布仍是高斯混合
（$\mu_k \to \alpha\mu_k$，$s_k^2 \to \alpha^2 s_k^2 + \sigma^2$），因此它的分数可以精确写出：
$$\nabla \log p_\sigma(x) = \sum_k r_k(x)\, \frac{\alpha\mu_k - x}{\alpha^2 s_k^2 + \sigma^2}$$
其中 $r_k$ 是分量 $k$ 的后验权重。右图：网格上的 $\|s_\theta - s\| / \|s\|$（上限为 1；远离数据处两者都很大，
而网络在那里没见过样本）。对整流而言，1-RF 的精确速度为
$(x + (1-t)\nabla\log p_t(x))/t$。""",
    r"""**Autoregressive models** factor the likelihood by the chain rule, $p(x) = \prod_{i=1}^{64} p(x_i \mid x_{<i})$, in raster
order over scikit-learn's 8×8 digits (binarized at half intensity; 1,438 train / 359 held-out images).
- **FVSBN**: one logistic regression per pixel, $p(x_i = 1 \mid x_{<i}) = \sigma(b_i + \sum_{j<i} W_{ij} x_j)$.
- **NADE**: a hidden layer shared by all pixels, $h_i = \sigma(c + W_{:,<i}\, x_{<i})$,
  $p(x_i = 1 \mid x_{<i}) = \sigma(b_i + V_i^\top h_i)$.
- **Baseline**: every pixel independent, $p(x) = \prod_i p_i^{x_i}(1-p_i)^{1-x_i}$.

The held-out negative log-likelihood $-\log_2 p(x)$ is exact (bits per image; lower is better).""": r"""**自回归模型**按链式法则分解似然，$p(x) = \prod_{i=1}^{64} p(x_i \mid x_{<i})$，在 scikit-learn 的
8×8 数字图像上按光栅顺序排列像素（以一半亮度二值化；训练集 1,438 张，留出集 359 张）。
- **FVSBN**：每个像素一个逻辑回归，$p(x_i = 1 \mid x_{<i}) = \sigma(b_i + \sum_{j<i} W_{ij} x_j)$。
- **NADE**：所有像素共享一个隐藏层，$h_i = \sigma(c + W_{:,<i}\, x_{<i})$，
  $p(x_i = 1 \mid x_{<i}) = \sigma(b_i + V_i^\top h_i)$。
- **基线**：每个像素相互独立，$p(x) = \prod_i p_i^{x_i}(1-p_i)^{1-x_i}$。

留出集上的负对数似然 $-\log_2 p(x)$ 是精确值（单位：比特/图像；越低越好）。""",
    r"""**Sampling** draws $x_1 \sim p(x_1)$, then $x_2 \sim p(x_2 \mid x_1)$, … one pixel at a time (red box: the
next pixel). Right: the probability each pixel had of being on when it was drawn, and for the boxed pixel
$p(x_i = 1 \mid x_{<i})$ given everything drawn so far. With *complete a held-out digit*, the top half is copied
from a test image and the model fills in the rest.""": r"""**采样**先抽 $x_1 \sim p(x_1)$，再抽 $x_2 \sim p(x_2 \mid x_1)$，……一次一个像素（红框：下一个像素）。
右图：每个像素被抽取时为“亮”的概率，以及红框像素在给定目前已抽出的全部像素时的
$p(x_i = 1 \mid x_{<i})$。勾选*补全一张留出集数字*时，上半部分从测试图像复制，其余由模型补全。""",
}
ZH.update(LATEX_TEXTS)
ZH = {english: joined(chinese) for english, chinese in ZH.items()}  # no stray spaces between Chinese lines
