"""The share row of every tab: a link to the demo as it is set, and its QR code."""

ZH = {
    "Share this demo": "分享这个演示",
    "Copy link": "复制链接",
    "Link to this demo, as it is set now": "指向当前设置下这个演示的链接",
    "QR code of the link": "链接的二维码",
    "This link is too long for a QR code ({n:,} characters; at most {max:,}).":
        "这个链接太长，无法生成二维码（{n:,} 个字符；最多 {max:,} 个）。",
    "The link's {names} could not be used here; the demo opened with its defaults for them.":
        "链接中的 {names} 在这里无法使用，演示已对它们使用默认值打开。",
}
