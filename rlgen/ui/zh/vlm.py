"""KimiVL image QA (KimiVL 图像问答): the tab's texts in Chinese. Questions and answers stay English: the tiny model
was trained on English only."""

ZH = {
    # the page
    """
**Kimi-VL in miniature.** A **MoonViT**-style encoder reads the image at its *native* resolution: it is cut into
16-px patches (embedded by a small convolutional stem), each gets a learnable position embedding interpolated (bicubic) to the image's own patch grid plus
2-D RoPE in attention, and several images are packed into one sequence with attention kept inside each image.
A **2×2 pixel shuffle** turns every 2×2 block of patches into one token, so an image of W×H px costs
**(W/{cell})·(H/{cell}) vision tokens**, rounded (capped at {cap}); a **projector** (LayerNorm → Linear → GELU →
Linear) maps them into the decoder, where they replace the `<|media_pad|>` placeholders of Kimi-VL's chat template.
The decoder is transformers' **DeepSeek-V3** (MLA attention; MoE layers with a sigmoid router sending each token to
its top-2 of 8 routed experts, plus one shared expert: y = E_shared(x) + Σ_(i∈top-k) g_i(x)·E_i(x)).
The tiny model (3.0 M parameters) was trained here in Kimi-VL's stages — encoder pre-training on image-only targets, joint
captioning, instruction data — on scenes of 1–6 shapes; it knows circles, squares, triangles and stars in six colours, and
nothing else. Photos are outside its world (the real Kimi-VL-A3B handles them on a GPU host).
""": """
**微缩版 Kimi-VL。** 一个 **MoonViT** 式的编码器以图像的*原生*分辨率读取图像：图像被切成 16 像素的图像块（由一个小的卷积主干嵌入），每个图像块得到一个可学习的位置嵌入（用双三次插值缩放到该图像自己的图像块网格），注意力中再加上二维 RoPE；多张图像被打包进同一个序列，注意力只在每张图像内部进行。**2×2 像素重排**（Pixel Shuffle）把每个 2×2 的图像块合成一个词元，所以一张 W×H 像素的图像需要 **(W/{cell})·(H/{cell}) 个视觉词元**（取整，上限 {cap}）；**投影器**（LayerNorm → Linear → GELU → Linear）把它们映射到解码器中，替换 Kimi-VL 对话模板里的 `<|media_pad|>` 占位符。解码器是 transformers 的 **DeepSeek-V3**（MLA 注意力；MoE 层用 sigmoid 路由器把每个词元送往 8 个路由专家中的前 2 个，再加一个共享专家：y = E_shared(x) + Σ_(i∈top-k) g_i(x)·E_i(x)）。这个小模型（300 万参数）在本项目中按 Kimi-VL 的阶段训练 —— 先只用图像目标预训练编码器，再联合训练图像描述，最后用指令数据 —— 训练数据是含 1–6 个图形的场景；它只认识六种颜色的圆形、正方形、三角形和星形，别的都不认识，也只懂英文问题。照片不在它的世界里（真正的 Kimi-VL-A3B 在 GPU 主机上处理照片）。
""",
    "How well does it answer? (held-out accuracy per question type)": "它答得怎么样？（按问题类型的留出集准确率）",
    "Image": "图像",
    "Second image (optional)": "第二张图像（可选）",
    "Random scene": "随机场景",
    "Sample photo": "示例照片",
    "astronaut": "宇航员",
    "coffee": "咖啡",
    "chelsea": "Chelsea（猫）",
    "rocket": "火箭",
    "Load photo": "载入照片",
    "Resize before encoding (×)": "编码前缩放（×）",
    "See how the vision-token count follows the image's size": "看视觉词元数如何随图像大小变化",
    "As the encoder sees it: 16-px patches; each thick 2×2 block is one token": "编码器眼中的图像：16 像素的图像块；每个粗线 2×2 块是一个词元",
    "Add an image to see how the encoder cuts it into patches.": "添加一张图像，看编码器如何把它切成图像块。",
    "tiny Kimi-VL (shipped, CPU)": "小型 Kimi-VL（随项目发布，CPU）",
    "Model": "模型",
    "Real Kimi-VL-A3B appears here on a GPU host with RLGEN_REAL_WEIGHTS=1":
        "在设置了 RLGEN_REAL_WEIGHTS=1 的 GPU 主机上，真正的 Kimi-VL-A3B 会出现在这里",
    "Conversation": "对话",
    "Question": "问题（请用英文提问）",
    "Ask": "提问",
    "Stop": "停止",
    "Regenerate": "重新生成",
    "Clear": "清除",
    "Temperature (0 = greedy)": "温度（0 = 贪心）",
    "Questions the tiny model knows": "小模型会回答的问题",
    "Where the answer looked: attention from the answer's tokens to each vision token (averaged over heads and layers)":
        "回答看了哪里：回答的词元对每个视觉词元的注意力（对各头和各层取平均）",
    "MoE router: experts chosen per token and layer": "MoE 路由器：每个词元在每层选中的专家",
    # the accuracy table (made when the page opens)
    "No shipped checkpoint yet: run `python -m rlgen train vlm`.": "还没有随项目发布的检查点：请运行 `python -m rlgen train vlm`。",
    "The shipped checkpoint has not been evaluated yet.": "随项目发布的检查点还没有评估过。",
    "A description may list two shapes that are level (centres within {level:.0f} px "
    "horizontally) in either order; {share:.0f} % of them were in exactly the canonical order.":
        "描述中两个高度相同的图形（中心的水平距离在 {level:.0f} 像素以内）可以按任意顺序列出；其中 {share:.0f} % 的描述"
        "与标准顺序完全一致。",
    " On image sizes and aspect ratios it never saw in training ({sizes}): **{share:.1f} %**.":
        "在训练中从未见过的图像尺寸和宽高比上（{sizes}）：**{share:.1f} %**。",
    "**How well the tiny model answers:** **{ours:.1f} %** of {n:,} held-out questions on scenes it never saw, "
    "against **{blind:.1f} %** for the best answer to the question alone (the blind baseline) and {blank:.1f} % for "
    "the model shown a blank image.":
        "**小模型答得怎么样：** 在它从未见过的场景上，{n:,} 个留出问题答对 **{ours:.1f} %**；只看问题、不看图像的最佳回答"
        "（盲答基线）为 **{blind:.1f} %**，给模型看一张空白图像时为 {blank:.1f} %。",
    "| question | model | blind | blank image |": "| 问题类型 | 模型 | 盲答 | 空白图像 |",
    "count": "计数",
    "count by colour": "按颜色计数",
    "count by shape": "按形状计数",
    "colour of": "颜色",
    "shape of": "形状",
    "exists": "是否存在",
    "left / right": "左 / 右",
    "above / below": "上 / 下",
    "nearest / farthest": "最近 / 最远",
    "describe": "描述",
    # handlers' messages
    "Unknown sample {name!r}; the samples are: {names}.": "未知的示例 {name!r}；可选示例：{names}。",
    "Add an image first: upload one, make a random scene, or load a sample photo.":
        "请先添加一张图像：上传一张、生成一个随机场景，或载入一张示例照片。",
    "At most {n} images per question.": "每个问题最多 {n} 张图像。",
    " resized ×{scale:g} to {w}×{h} px,": "缩放 ×{scale:g} 到 {w}×{h} 像素，",
    "**Image {k}** ({w0}×{h0} px,{resized} encoded at {w}×{h}): {columns}×{rows} patches → **{tokens} vision tokens**. "
    "At its native size: {native} tokens; at twice the size: {twice} (cap {cap}).":
        "**图像 {k}**（{w0}×{h0} 像素，{resized}以 {w}×{h} 编码）：{columns}×{rows} 个图像块 → **{tokens} 个视觉词元**。"
        "按原生大小：{native} 个词元；放大到两倍：{twice} 个（上限 {cap}）。",
    "Scene {seed}: {description} (the ground truth, for checking).": "场景 {seed}：{description}（真实答案，供核对）。",
    "A photo: outside the tiny model's world of flat shapes — see what it makes of it.":
        "一张照片：超出了小模型的平面图形世界 —— 看看它会怎么理解。",
    "(an empty answer)": "（空回答）",
    "Thinking": "思考过程",
    "answering…": "正在回答……",
    "{tokens} vision tokens · seed {seed} · ": "{tokens} 个视觉词元 · 种子 {seed} · ",
    "greedy": "贪心",
    "temperature {t:g}": "温度 {t:g}",
    "{model} is not served on this host (RLGEN_REAL_WEIGHTS=1 and {env}).": "这台主机没有提供 {model}（需要 RLGEN_REAL_WEIGHTS=1 和 {env}）。",
    "{model} via vLLM at {url}": "{model}，经由 {url} 上的 vLLM",
    "Nothing to regenerate yet: ask a question first.": "还没有可以重新生成的回答：请先提一个问题。",
}
