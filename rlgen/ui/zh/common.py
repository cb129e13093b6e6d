"""Texts shared by every tab (the page's header row, the language switch)."""

ZH = {
    "中文": "English"  # the language switch names the other language,
}
