"""What the shared pieces (image checks, the checkpoint registry, the tab list, the Space exporter, models kept for a
session) say when an input is outside what they accept (``InputError`` templates)."""

ZH = {
    "The image is empty (0 pixels).": "图像为空（0 像素）。",
    "The image is {size}; the cap is {megapixels:.0f} megapixels and {max_side:,} pixels a side. Use a smaller "
    "image.":
        "图像尺寸为 {size}；上限为 {megapixels:.0f} 百万像素、每边 {max_side:,} 像素。请使用更小的图像。",
    "The inline image is over {megabytes} MB; upload a smaller file.": "内嵌图像超过 {megabytes} MB；请上传更小的文件。",
    "The image is too large to open safely; the cap is {megapixels:.0f} megapixels (at most {max_side:,} pixels a "
    "side). Use a smaller image.":
        "图像太大，无法安全打开；上限为 {megapixels:.0f} 百万像素（每边最多 {max_side:,} 像素）。请使用更小的图像。",
    "That file is not an image this app can read (use PNG, JPEG, WebP, GIF or BMP).":
        "该文件不是本应用能读取的图像（请使用 PNG、JPEG、WebP、GIF 或 BMP）。",
    "The inline image could not be read.": "无法读取内嵌图像。",
    "Unknown trainer {name!r}; choose from: {known}.": "未知训练任务 {name!r}；可选：{known}。",
    "Unknown checkpoint {name!r}; the checkpoints are: {known}.": "未知检查点 {name!r}；现有检查点：{known}。",
    "Unknown tab {key!r}; the tabs are: {tabs}.": "未知标签页 {key!r}；现有标签页：{tabs}。",
    "{target} is not empty; choose a new folder for the Space.": "{target} 不是空文件夹；请为 Space 选择一个新文件夹。",
    "Your {what} is no longer kept: the server keeps the {capacity} most recent for up to {hours:g} hours. Train it "
    "again.":
        "你的{what}已不再保留：服务器最多保留最近的 {capacity} 个，最长 {hours:g} 小时。请重新训练。",
    "SVG drawings are not accepted; upload a PNG, JPEG, WebP, GIF or BMP image.":
        "不接受 SVG 矢量图；请上传 PNG、JPEG、WebP、GIF 或 BMP 图像。",
}
