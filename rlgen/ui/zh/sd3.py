"""SD3 (MMDiT): the tab's texts in Chinese. Prompts stay English: the tiny text encoder reads English words only."""

ZH = {
    "Shown: the default prompt with seed 0. Press Generate with both.": "图中是默认提示词、随机种子 0 的结果。按“两者都生成”重新生成。",
    # the page
    r"""
### Stable Diffusion 3 in miniature
SD3 ("Scaling Rectified Flow Transformers for High-Resolution Image Synthesis", Esser et al. 2024) replaces the
UNet with a **multimodal diffusion transformer (MMDiT)**: image patches $x$ and caption tokens $c$ keep their own
weights but meet in **one joint attention**,
$\mathrm{Attn}\big([Q_x;Q_c],[K_x;K_c],[V_x;V_c]\big)=\mathrm{softmax}\big(QK^\top/\sqrt d\big)V$, and every block is
modulated by the timestep and a pooled caption vector. Both models here are trained with **rectified flow**,
$x_t=(1-t)\,x_0+t\,\varepsilon$, loss $\|v_\theta(x_t,t,c)-(\varepsilon-x_0)\|^2$, $t\sim$ logit-normal$(0,1)$:
$\pi(t)=\frac{1}{\sqrt{2\pi}}\frac{1}{t(1-t)}\exp\!\big(-\tfrac{\mathrm{logit}(t)^2}{2}\big)$.
Both read the same tiny CLIP text encoder's vocabulary and were trained on the same shapes and captions.
""": r"""
### 微缩版 Stable Diffusion 3
SD3（"Scaling Rectified Flow Transformers for High-Resolution Image Synthesis"，Esser 等，2024）用**多模态扩散 Transformer**（MMDiT）取代了 UNet：图像块 $x$ 和描述的词元 $c$ 各用自己的权重，但在**同一个联合注意力**中相遇，$\mathrm{Attn}\big([Q_x;Q_c],[K_x;K_c],[V_x;V_c]\big)=\mathrm{softmax}\big(QK^\top/\sqrt d\big)V$，并且每个块都由时间步和池化后的描述向量调制。这里的两个模型都用**整流**（Rectified Flow）训练，$x_t=(1-t)\,x_0+t\,\varepsilon$，损失为 $\|v_\theta(x_t,t,c)-(\varepsilon-x_0)\|^2$，$t\sim$ logit-normal$(0,1)$：$\pi(t)=\frac{1}{\sqrt{2\pi}}\frac{1}{t(1-t)}\exp\!\big(-\tfrac{\mathrm{logit}(t)^2}{2}\big)$。两个模型读取同一个小型 CLIP 文本编码器的词表，并在相同的图形和描述上训练。
""",
    r"""
**SD3's changes, tested.** Each experiment trains two small MMDiTs (or two VAEs) that differ in one thing, from the
same initial weights on the same batches. *Timesteps*: uniform vs logit-normal $t$ — validation loss (fixed images,
noise and an even grid of $t$) and prompt adherence (the shapes classifier, 20 Euler steps). *QK-norm*: off vs
RMSNorm on queries and keys at a high learning rate — training loss and the largest attention logit
$\max|q\cdot k|/\sqrt d$ (without the norm it keeps growing; SD3 §5.3.2). *Latent channels*: a VAE with 4 vs 16
latent channels (32×32 → 8×8) — reconstruction PSNR and SSIM on held-out images — then a small MMDiT trained in each
latent space, whose decoded samples the classifier judges. *Positions*: 1-D (raster order) vs
2-D sincos codes for the patches, on captions that say where the shape is (*"a red star on the left on a blue
background"*) — how often the generated shape lands on the named side. Each run ends with both arms' samples for
the same eight held-out captions and the same noise.
""": r"""
**逐一检验 SD3 的改动。** 每个实验训练两个只有一处不同的小 MMDiT（或两个 VAE），它们从相同的初始权重出发，使用相同的批次。*时间步*：均匀分布与 logit-normal 分布的 $t$ 对比 —— 看验证损失（固定的图像、噪声和均匀网格上的 $t$）和提示词遵循度（形状分类器，20 步欧拉采样）。*QK-norm*：在较高的学习率下，对比查询和键不做归一化与用 RMSNorm 归一化 —— 看训练损失和最大注意力 logit $\max|q\cdot k|/\sqrt d$（没有归一化时它会一直增大；SD3 §5.3.2）。*潜变量通道数*：4 个与 16 个潜变量通道的 VAE 对比（32×32 → 8×8）—— 看留出图像上的重建 PSNR 和 SSIM，再在各自的潜空间中训练一个小 MMDiT，由分类器评判其解码后的样本。*位置编码*：图像块的一维（光栅顺序）与二维 sincos 位置编码对比，所用描述会说明形状的位置（*"a red star on the left on a blue background"*）—— 看生成的形状有多少次落在所说的那一侧。每次运行结束时，两组都会对同样的八条留出描述、用同样的噪声生成样本。
""",
    "**Words the tiny models know** — shapes: {shapes}; colours: {colours}. "
    'E.g. *"a yellow triangle on a purple background"*.':
        '**小模型认识的词**（提示词须用英文）— 形状：{shapes}；颜色：{colours}。例如 *"a yellow triangle on a purple '
        'background"*。',
    "Prompt": "提示",
    "at most 200 characters": "最多 200 个字符",
    "Euler steps (≤ 100)": "欧拉步数（≤ 100）",
    "Guidance scale w": "引导强度 w",
    "Images per model (≤ {n})": "每个模型的图像数（≤ {n}）",
    "Generate with both": "两个模型同时生成",
    "Stop": "停止",
    "Status": "状态",
    "Press Generate with both.": "请按“两个模型同时生成”。",
    "UNet (UNet2DConditionModel)": "UNet（UNet2DConditionModel）",
    "MMDiT (SD3Transformer2DModel)": "MMDiT（SD3Transformer2DModel）",
    "Denoising trajectories of the first image: x_t and predicted x₀": "第一张图像的去噪轨迹：x_t 与预测的 x₀",
    "Experiment": "实验",
    "timesteps": "时间步采样",
    "qk_norm": "QK-norm",
    "latent_channels": "潜变量通道数",
    "positions": "位置编码",
    "Live run: training steps per arm (≤ {n}; ~80 run in a minute)": "现场运行：每组训练步数（≤ {n}；约 80 步/分钟）",
    "Run live (reduced)": "现场运行（缩减版）",
    "Live run": "现场运行",
    "Shipped run": "随项目发布的运行",
    # handlers' messages
    "None of the words in {prompt!r} is known to the tiny models. ": "小模型不认识 {prompt!r} 中的任何一个词。",
    "Unknown to the tiny models (no effect): {words}.": "小模型不认识这些词（不起作用）：{words}。",
    "Empty prompt: unconditional samples.": "提示词为空：无条件生成。",
    "Step {step}/{total} · seed {seed} · Flow Euler, w = {w:g}. ": "第 {step}/{total} 步 · 种子 {seed} · Flow Euler，w = {w:g}。",
    "Unknown experiment {name!r}; the experiments are: {names}.": "未知的实验 {name!r}；可选的实验：{names}。",
    "The shipped results have no {name!r} run yet: run `python -m rlgen train "
    "diffusion-sd3-experiments --only {name}`, or press Run live.":
        "随项目发布的结果中还没有 {name!r} 的运行：请运行 `python -m rlgen train diffusion-sd3-experiments --only "
        "{name}`，或按“现场运行”。",
    "{name}: shipped run, {steps} steps, batch {batch}, seed {seed}": "{name}：随项目发布的运行，{steps} 步，批大小 {batch}，种子 {seed}",
    "Final values — {summary}.": "最终数值 — {summary}。",
    # what the shipped runs show (FINDINGS)
    ("**What the shipped run shows** (4,000 steps per arm): uniform *t* learns faster at first — prompt adherence "
     "45 % against 31 % at step 1,000, and a lower validation loss until step 3,500; by step 4,000 logit-normal *t* "
     "has caught up (validation loss 0.140 against 0.146, adherence 52 % against 47 %, a gap within the noise of 64 "
     "samples). SD3's Table 1 ranks logit-normal first for models and runs far larger than this one; here its edge "
     "is not yet resolved."):
        "**随项目发布的运行结果**（每组 4,000 步）：均匀采样 *t* 起初学得更快——第 1,000 步时提示词遵循率 45 % 对 31 %，"
        "验证损失也一直更低，直到第 3,500 步；到第 4,000 步，logit-normal *t* 已经追上（验证损失 0.140 对 0.146，"
        "遵循率 52 % 对 47 %，这一差距在 64 个样本的噪声范围之内）。SD3 的表 1 把 logit-normal 排在第一，"
        "但那是远比这里大的模型和训练；在这里，它的优势还看不出来。",
    ("**What the shipped run shows** (4,000 steps per phase): 16 latent channels reconstruct better than 4 (PSNR "
     "29.6 against 26.6 dB, SSIM 0.94 against 0.88) — SD3's reason for 16 (§5.2.1). The MMDiT has a harder target "
     "in the larger latent space (flow loss 0.235 against 0.227), and after 4,000 steps its prompt adherence is lower "
     "with 16 channels (36 % against 58 %): the paper finds that the larger latent space pays off only with larger "
     "models."):
        "**随项目发布的运行结果**（每个阶段 4,000 步）：16 个潜在通道比 4 个重建得更好（PSNR"
        " 29.6 对 26.6 dB，SSIM 0.94 对 0.88）——这正是 SD3 选用 16 个通道"
        "的理由（§5.2.1）。在更大的潜在空间里，MMDiT 的学习目标更难（流损失 0.235 对 0.22"
        "7），训练 4,000 步后 16 个通道的提示词遵循率更低（36 % 对 58 %）：论文发现，更大的"
        "潜在空间要在更大的模型上才见成效。",
    ("**What the shipped run shows** (4,000 steps per arm at learning rate 10⁻²): without QK-norm the largest "
     "attention logit climbs from 1.6 to a median of 26 over the last 500 steps, with spikes up to 638 — the growth "
     "SD3 (§5.3.2) reports ahead of training instabilities; with RMSNorm on queries and keys it never passes 10.4, "
     "and the training loss is lower (median of the last 200 steps 0.111 against 0.139)."):
        "**随项目发布的运行结果**（每组 4,000 步，学习率 10⁻²）：不用 QK-norm 时，最大注意力 logit 从 1.6 "
        "升到最后 500 步的中位数 26，并有高达 638 的尖峰——正是 SD3（§5.3.2）所说训练失稳之前的增长；对查询和键"
        "做 RMSNorm 后，它始终不超过 10.4，训练损失也更低（最后 200 步的中位数 0.111 对 0.139）。",
    ("**What the shipped run shows** (4,000 steps per arm): with 2-D sincos codes every generated shape lands on "
     "the side its caption names from step 1,750 on; with 1-D (raster-order) codes the model stays at chance "
     "(about 50 %) until step 2,500, then reaches 88 % at step 2,750 and 100 % from step 3,250 on. A patch's row "
     "and column, given as such, make \"left\" and \"right\" easier to learn."):
        "**随项目发布的运行结果**（每组 4,000 步）：用二维 sincos 位置编码时，从第 1,750 步起，生成的每个图形都落在"
        "描述所说的一侧；用一维（按光栅顺序）编码时，模型直到第 2,500 步都停留在随机水平（约 50 %），第 2,750 步"
        "达到 88 %，从第 3,250 步起达到 100 %。直接给出图像块的行和列，让“左”和“右”更容易学会。",
    "{experiment}: step {step}/{total}, {seconds:.0f} s": "{experiment}：第 {step}/{total} 步，{seconds:.0f} 秒",
    "{name}: live run, seed {seed}": "{name}：现场运行，种子 {seed}",
    # the experiments' arms and measures (in the summary line)
    "QK-norm off": "不用 QK-norm",
    "QK-norm on": "使用 QK-norm",
    "uniform t": "均匀分布的 t",
    "logit-normal(0, 1) t": "logit-normal(0, 1) 分布的 t",
    "4 latent channels": "4 个潜变量通道",
    "16 latent channels": "16 个潜变量通道",
    "1-D positions": "一维位置编码",
    "2-D positions": "二维位置编码",
    "training loss": "训练损失",
    "largest attention logit": "最大注意力 logit",
    "validation loss": "验证损失",
    "prompt adherence": "提示词遵循度",
    "position adherence": "位置遵循度",
    "left/right adherence": "左右遵循度",
    "PSNR (dB)": "PSNR（dB）",
    "latent flow loss": "潜空间整流损失",
    "Shipped run: each arm's samples at the end (same noise down a column)": "随项目发布的运行：结束时每组的样本（同一列用同样的噪声）",
    "Live run: each arm's samples at the end": "现场运行：结束时每组的样本",
    "The real Stable Diffusion 3 (real weights are switched on)": "真正的 Stable Diffusion 3（已开启真实权重）",
    "`{model}` through diffusers' `StableDiffusion3Pipeline`, on the prompt, steps, guidance and seed above.":
        "`{model}`，通过 diffusers 的 `StableDiffusion3Pipeline` 运行，使用上面的提示词、步数、引导系数和种子。",
    "Images (≤ {n})": "图像数（≤ {n}）",
    "Generate with Stable Diffusion 3": "用 Stable Diffusion 3 生成",
    "Stable Diffusion 3 (real weights)": "Stable Diffusion 3（真实权重）",
    "Decoded x_t of the first image": "第一张图像解码后的 x_t",
    "{model} @ {revision}: {steps} steps · seed {seed} · w = {w:g}.": "{model} @ {revision}：{steps} 步 · 种子 {seed} · w = {w:g}。",
}
