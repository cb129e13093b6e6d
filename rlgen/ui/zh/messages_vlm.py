"""What the vision-language package (KimiVL 图像问答) says when an input is outside what it accepts (``InputError``
templates)."""

ZH = {
    "This processor's vocabulary is not the one the model was trained with, so its token ids would mean other words. "
    "Use the processor saved with the model: `model, processor = load_model()` (or pass no processor).":
        "这个处理器的词表与模型训练时的词表不同，同一个词元 id 会对应别的词。请使用与模型一起保存的处理器："
        "`model, processor = load_model()`（或不传处理器）。",
    "The processor knows {vocabulary} tokens but the model only {rows}.": "处理器认识 {vocabulary} 个词元，而模型只有 {rows} 个。",
    "Ask a question about the image (the question is empty).": "请就图像提一个问题（问题为空）。",
    "The question is {n_chars:,} characters long; the limit is {max_question_chars}.":
        "问题长 {n_chars:,} 个字符；上限为 {max_question_chars}。",
    "At most {max_images} images per conversation (got {n_images}).": "每段对话最多 {max_images} 张图像（收到 {n_images} 张）。",
    "The temperature must lie between 0 and 2 (got {temperature:g}).": "温度必须在 0 到 2 之间（收到 {temperature:g}）。",
    "Add an image first: the model answers questions about an image.": "请先添加一张图像：模型回答的是关于图像的问题。",
    "No trained vision-language model at {directory}; run `python -m rlgen train vlm`.":
        "{directory} 中没有训练好的视觉语言模型；请运行 `python -m rlgen train vlm`。",
    "patch_stem must be 'linear' or 'conv' (got {stem!r}).": "patch_stem 必须是 'linear' 或 'conv'（收到 {stem!r}）。",
    "{n_filled} image placeholders for {n_projected} vision tokens.": "{n_filled} 个图像占位符对应 {n_projected} 个视觉词元。",
    "That is not an image: upload a PNG, JPEG, GIF or WebP file.": "这不是图像：请上传 PNG、JPEG、GIF 或 WebP 文件。",
    "The text has {n_slots} image placeholders but {n_images} images were given.":
        "文本中有 {n_slots} 个图像占位符，但给出了 {n_images} 张图像。",
    "{key!r} is not on the allow-list; the real models are: {real_models}.": "{key!r} 不在允许列表中；现有真实模型：{real_models}。",
    "No Kimi-VL server is configured: start vLLM and set {url_env} (see rlgen/vlm/real.py).":
        "没有配置 Kimi-VL 服务器：请启动 vLLM 并设置 {url_env}（见 rlgen/vlm/real.py）。",
    "The Kimi-VL server at {url} did not answer ({exc}).": "位于 {url} 的 Kimi-VL 服务器没有响应（{exc}）。",
    "Unknown question type {kind!r}; the types are: {question_types}.": "未知问题类型 {kind!r}；现有类型：{question_types}。",
    "Unknown stage {stage!r}; the stages are: {stages}.": "未知阶段 {stage!r}；现有阶段：{stages}。",
}
