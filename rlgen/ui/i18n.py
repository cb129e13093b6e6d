"""The page in Simplified Chinese and English.

A tab module writes its English inline and wraps every text a person reads in :func:`tr`::

    gr.Button(tr("Step"))
    gr.Slider(label=tr("Discount γ"), info=tr("How much the future counts ({low} to {high})", low=0, high=1))
    gr.Radio([(tr("Value iteration"), "value_iteration"), ...])   # shown translated, the value stays stable

:func:`tr` returns gradio's ``I18nData`` for a key made from the English text; the Chinese lives in
``rlgen/ui/zh/<tab>.py`` (a dict ``ZH`` from the English text, placeholders included, to the Chinese). The browser
picks the language: its locale by default, ``?lang=zh`` / ``?lang=en`` in the link, or the switch at the top of the
page (kept in the browser). Texts a handler makes during an event (a status line) go through :func:`say`, which
answers in the same language. The terms follow the Chinese articles this playground is built on (值迭代, 策略梯度,
直接偏好优化, 扩散模型, …). A text used without a Chinese entry fails the tests (:func:`missing`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import pkgutil
import re
import threading
from functools import cache

HEADER = {
    "en": ("<span class='rlgen-name'>rlgen</span> — watch reinforcement-learning and generative-model algorithms "
           "work, live, on a CPU. Every model here is small, trained by this project and shipped with it; nothing is "
           "downloaded."),
    "zh": ("<span class='rlgen-name'>rlgen</span> — 在 CPU 上实时观看强化学习与生成模型算法的运行过程。这里的每个模型都很小，"
           "由本项目自己训练并随项目发布；运行时不下载任何东西。"),
}

# tab key -> Chinese title (the English title is the tab module's TITLE)
TAB_TITLES_ZH = {
    "gridworld": "网格世界",
    "deeprl": "从表格到深度强化学习",
    "geometry": "计算几何画板",
    "ddpg": "DDPG 连续控制",
    "genlab": "生成模型实验室",
    "dpo": "DPO 对话",
    "diffusion": "扩散模型 / ControlNet",
    "sd3": "SD3（MMDiT）",
    "kimivl": "KimiVL 图像问答",
}

LANGUAGES = ("en", "zh")
COOKIE = "rlgen-lang"  # the reader's choice, sent with every event so that handlers answer in it too

# every text wrapped so far: key -> (English template, its placeholder values)
_USED: dict[str, tuple[str, tuple[tuple[str, object], ...]]] = {}
_USED_LOCK = threading.Lock()


def key_of(template: str, values: tuple = ()) -> str:
    digest = hashlib.sha1(repr((template, values)).encode()).hexdigest()[:12]
    return f"rl{digest}"  # no dots: the browser's i18n library reads dots as nesting


def tr(template: str, **values):
    """The text ``template.format(**values)`` in the reader's language (gradio ``I18nData``). A text without values
    is taken as it is, so a Markdown text with LaTeX braces (``$v_{k+1}$``) needs no escaping."""
    from gradio.i18n import I18nData

    frozen = tuple(sorted(values.items()))
    key = key_of(template, frozen)
    with _USED_LOCK:
        _USED[key] = (template, frozen)
    return I18nData(key)


@cache
def chinese() -> dict[str, str]:
    """English template -> Chinese, merged from every module of ``rlgen.ui.zh``."""
    import rlgen.ui.zh as package

    table: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        for english, text in importlib.import_module(f"{package.__name__}.{info.name}").ZH.items():
            if table.get(english, text) != text:
                raise ValueError(f"two Chinese texts for {english!r}: {table[english]!r} and {text!r}")
            table[english] = text
    return table


def missing() -> list[str]:
    """English templates used on a page built in this process that have no Chinese text."""
    with _USED_LOCK:
        templates = {template for template, _ in _USED.values()}
    return sorted(templates - set(chinese()))


def translations(titles: dict[str, str]) -> dict[str, dict[str, str]]:
    """{language: {key: text}} for the header, the given tabs' titles and every text wrapped by :func:`tr`
    (a text without Chinese shows its English)."""
    absent = sorted(set(titles) - set(TAB_TITLES_ZH))
    if absent:
        raise KeyError(f"no Chinese title for the tabs {absent}; add them to TAB_TITLES_ZH")
    en = {"header": HEADER["en"], **{f"tab.{key}": title for key, title in titles.items()}}
    zh = {"header": HEADER["zh"], **{f"tab.{key}": TAB_TITLES_ZH[key] for key in titles}}
    table = chinese()
    with _USED_LOCK:
        used = dict(_USED)
    for key, (template, values) in used.items():
        en[key] = _filled(template, values)
        zh[key] = _filled(table.get(template, template), values)
    return {"en": en, "zh": zh}


def _filled(template: str, values) -> str:
    """The template with its placeholders filled; a text without values is taken as it is (LaTeX braces)."""
    return template.format(**dict(values)) if values else template


def language() -> str:
    """The reader's language ("zh" or "en") for text a handler makes during an event: the choice made on the page
    (the switch and ``?lang=`` set the ``rlgen-lang`` cookie), else the browser's first language; English outside
    an event."""
    from gradio.context import LocalContext

    request = LocalContext.request.get(None)
    if request is None:
        return "en"
    try:
        chosen = request.cookies.get(COOKIE, "")
        first = request.headers.get("accept-language", "").split(",")[0]
    except AttributeError:  # a request made by hand in a test
        return "en"
    if chosen in LANGUAGES:
        return chosen
    return "zh" if first.strip().lower().startswith("zh") else "en"


def say(template: str, **values) -> str:
    """``template.format(**values)`` in the reader's language (:func:`language`): for the texts handlers return
    (status lines, notes), which the page cannot translate by key."""
    return say_in(language())(template, **values)


def say_in(lang: str):
    """:func:`say` in a given language: for words made before any reader asks (a picture drawn once per language)."""

    def text(template: str, **values) -> str:
        return _filled(chinese().get(template, template) if lang == "zh" else template, values)

    return text


def said(error) -> str:
    """An :class:`~rlgen.errors.InputError` raised in a domain package, in the reader's language: its template through
    :func:`say`, with the fields that are texts of the tables (a control's name such as "rows") or errors themselves
    said too. The UI's one error path (:func:`rlgen.ui.widgets.user_errors`) shows every such message this way."""
    from rlgen.errors import InputError

    zh = language() == "zh"

    def field(value):
        if isinstance(value, InputError):
            return said(value)
        return chinese().get(value, value) if zh and isinstance(value, str) else value

    return say(error.template, **{name: field(value) for name, value in error.fields.items()})


# -- figures made by the domain packages ----------------------------------------------------------------------------
# Plotly keys whose strings a person reads: titles, axis and colour-bar titles, annotations, trace names, legend-group
# titles, hover templates and tick labels. Everything else in a figure (numbers, colours, ids) stays as it is.
_FIGURE_TEXT_KEYS = frozenset({"text", "name", "hovertemplate", "texttemplate", "ticktext", "title", "label"})
_LINE_BREAK = re.compile(r"(<br\s*/?>)")


def localized(value):
    """A handler's output with every plotly figure in it said in the reader's language (a Chinese reader gets the
    figure's texts from the zh tables, as gradio's ``PlotData``); anything else, and every output for an English
    reader, is returned as it is. :func:`rlgen.ui.widgets.user_errors` passes every handler's output through here."""
    if language() != "zh":
        return value
    return _localized(value)


def _localized(value):
    import plotly.graph_objects as go

    if isinstance(value, go.Figure):
        return localized_plot(value.to_json())
    if isinstance(value, tuple | list):
        return type(value)(_localized(item) for item in value)
    if isinstance(value, dict) and value.get("__type__") == "update":
        return {**value, "value": _localized(value.get("value"))}
    if isinstance(value, dict) and value and not all(isinstance(key, str) for key in value):  # {component: value}
        return {key: _localized(item) for key, item in value.items()}
    return value


def localized_plot(plot_json: str):
    """gradio's ``PlotData`` of a plotly figure (its JSON) with the texts in Chinese."""
    import json

    from gradio.components.plot import PlotData

    return PlotData(type="plotly", plot=json.dumps(_figure_texts(json.loads(plot_json))))


def _figure_texts(node, key: str | None = None):
    if isinstance(node, dict):  # plotly's theme ("template") holds no text a person reads: taken as it is
        return {k: v if k == "template" else _figure_texts(v, k) for k, v in node.items()}
    if isinstance(node, list):
        if node and isinstance(node[0], dict):
            return [_figure_texts(item) for item in node]
        if key in _FIGURE_TEXT_KEYS and node and isinstance(node[0], str):
            return [figure_text(item) for item in node]
        return node
    if isinstance(node, str) and key in _FIGURE_TEXT_KEYS:
        return figure_text(node)
    return node


@functools.lru_cache(maxsize=4096)  # bounded: titles carry numbers, so a long session makes many distinct texts
def figure_text(text: str) -> str:
    """One text of a figure in Chinese: the table's entry for it, else for each of its lines (``<br>``), else the
    entry whose template it fills (a title made with values, "Episode {k}: return {r}"), else for a long text cut short
    the entry it begins; unknown text stays."""
    table = chinese()
    if text in table:
        return table[text]
    if _LINE_BREAK.search(text):
        return "".join(part if _LINE_BREAK.fullmatch(part) else figure_text(part) for part in _LINE_BREAK.split(text))
    for patterns, chinese_template in _templates():
        matches = [match for pattern in patterns if (match := pattern.fullmatch(text))]
        if matches:  # "{method}: {n} samples" on "SMLD: score matching …: 1000 samples": the reading that fits
            match = max(matches, key=lambda found: sum(value in table or bool(_NUMBER.fullmatch(value))
                                                       for value in found.groupdict().values()))
            return _FIELD.sub(lambda field, found=match: figure_text(found.group(field.group(1))), chinese_template)
    if len(text) >= 60:  # a long title cut to fit its panel: the entry it begins (the Chinese is shorter, whole)
        return next((zh for english, zh in table.items() if english.startswith(text)), text)
    return text


_FIELD = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?%?")


@cache
def _templates() -> list[tuple[tuple[re.Pattern, re.Pattern], str]]:
    """(regular expressions, Chinese) for every table entry with placeholders, at least three letters of its own
    (a bare "{name}" would match anything) and some text between any two of them, the longest first. Each entry has
    two expressions, the first taking as little as it can into each field and the second as much (a name such as
    "SMLD: score matching …" holds the ": " that follows a field)."""
    found = []
    for english, text in chinese().items():
        parts = _FIELD.split(english)
        literal, fields = parts[0::2], parts[1::2]
        if not fields or sum(ch.isalpha() for ch in "".join(literal)) < 3 or "{" in "".join(literal):
            continue
        if not all(literal[1:-1]):  # two fields side by side ("{step}{ev}"): no text tells where one ends
            continue
        regexes = []
        for field in (".+?", ".+"):
            regex, seen = "", set()
            for i, piece in enumerate(literal):
                regex += re.escape(piece.replace("{{", "{").replace("}}", "}"))
                if i < len(fields):
                    name = fields[i]
                    regex += f"(?P={name})" if name in seen else f"(?P<{name}>{field})"
                    seen.add(name)
            regexes.append(re.compile(regex, re.S))
        found.append((tuple(regexes), text))
    return sorted(found, key=lambda entry: -len(entry[0][0].pattern))


def joined(text: str) -> str:
    """A Chinese Markdown text written over several source lines, with the line breaks between two Chinese characters
    taken out (Markdown shows a break inside a paragraph as a space, which Chinese does not put between words)."""
    lines = text.split("\n")
    for i in range(len(lines) - 1, 0, -1):  # a heading keeps its line to itself
        if not lines[i - 1].lstrip().startswith("#") and _CJK_BREAK.search(lines[i - 1][-1:] + "\n" + lines[i][:1]):
            lines[i - 1 : i + 1] = [lines[i - 1] + lines[i]]
    return "\n".join(lines)


_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def i18n(titles: dict[str, str]):
    import gradio as gr

    return gr.I18n(**translations(titles))


def on_load(make, empty=""):
    """A component value made by ``make()`` when a reader opens the page, so that its :func:`say` texts come in
    the reader's language: pass it as the value (gradio calls it on every load). While the page is built (outside
    an event, where every text would be English) it is ``empty``."""
    from gradio.context import LocalContext

    return lambda: make() if LocalContext.request.get(None) is not None else empty


# The language switch and ``?lang=``: gradio's own ``changeLocale`` (the one its settings panel uses), found
# in the module the page already loaded. The reader's choice is kept in the browser for the next visit.
LANGUAGE_JS = """
async () => {
  const core = performance.getEntriesByType("resource").map((e) => e.name)
    .find((name) => /\\/assets\\/core-[\\w-]+\\.js$/.test(name));
  if (!core) { return; }
  const {changeLocale} = await import(core);
  const wanted = new URLSearchParams(window.location.search).get("lang") || localStorage.getItem("rlgen-lang");
  let current = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  const set = async (lang) => {
    current = lang;
    localStorage.setItem("rlgen-lang", lang);
    document.cookie = `rlgen-lang=${lang}; path=/; max-age=31536000; SameSite=Lax`;
    await changeLocale(lang === "zh" ? "zh-CN" : "en");
  };
  if (wanted === "zh" || wanted === "en") { await set(wanted); }
  window.rlgenSwitchLanguage = () => set(current === "zh" ? "en" : "zh");
}
"""
