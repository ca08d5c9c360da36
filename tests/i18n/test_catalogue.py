"""The Traditional Chinese (zh_Hant_HK) catalogue: complete, up to date with the code, compiled, and used.

The extraction settings are the Makefile's (`make translations`): babel.cfg plus the lazy keywords; Babel's default
keywords already cover _, gettext and ngettext.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.portal import issue_link
from tests.portal import make_case as make_portal_case

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "talentcase" / "translations"
PO = TRANSLATIONS / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
TEMPLATES = ROOT / "templates"
PYBABEL = Path(sys.executable).with_name("pybabel")
EXTRACT = ["-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-wrap"]

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]?\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%%|\{[A-Za-z_]\w*\}")

# Latin text allowed in templates and on Chinese pages, because it is a name or data, not UI wording:
# the product and the two language names (shown in their own language), the currency symbol, file/format names and
# acronyms that Hong Kong forms print in English as well (STEM, as in the scheme's own Chinese text), the official
# English abbreviations of the bodies, and
# the PDF watermark and the case-reference prefix.
ALLOWED_LATIN = {
    "TalentCase",
    "English",
    "繁體中文",
    "HK$",
    "PDF",
    "JPG",
    "JPEG",
    "PNG",
    "MB",
    "CSV",
    "API",
    "STEM",
    "ITC",
    "ImmD",
    "HKSTP",
    "Cyberport",
    "DRAFT",
    "TC-",
}
# Translations that may stay as the English source (product name only).
SAME_AS_SOURCE = {"TalentCase"}
# Translations that may carry no Chinese character (none at present).
NO_CHINESE_NEEDED: set[str] = set()


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def po():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hant_HK")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `pybabel extract` finds in the code now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([str(PYBABEL), *EXTRACT, "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        return read_po(handle)


# (a) up to date with the code


def test_every_extracted_string_has_a_real_translation(po, extracted):
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translated = po.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(s.strip() for s in _strings(translated)):
            problems.append(f"empty: {message.id!r}")
        elif message.pluralizable != translated.pluralizable:
            problems.append(f"plural mismatch: {message.id!r}")
    assert not problems, "\n".join(problems[:50]) + "\nRun `make translations` and translate the new entries."
    assert len(extracted) > 500  # the extraction really ran over the code and templates


def test_the_catalogue_has_no_stale_or_fuzzy_entries(po, extracted):
    stale = sorted(str(m.id) for m in po if m.id and extracted.get(m.id) is None)
    assert not stale, f"entries no longer in the code: {stale[:20]}; run `make translations`"
    assert not po.obsolete
    assert not po.fuzzy
    assert not [m.id for m in po if m.id and m.fuzzy]
    assert po.num_plurals == 1 and po.plural_expr == "0"


def test_translations_are_chinese_not_copies_of_the_english(po):
    copies = [m.id for m in po if m.id and _strings(m)[0] == _ids(m)[0] and m.id not in SAME_AS_SOURCE]
    assert not copies
    no_chinese = [
        m.id
        for m in po
        if m.id
        and m.id not in SAME_AS_SOURCE | NO_CHINESE_NEEDED
        and re.search(r"[A-Za-z]", PLACEHOLDER.sub("", _ids(m)[0]))
        and not re.search(r"[\u4e00-\u9fff]", _strings(m)[0])
    ]
    assert not no_chinese


def test_official_names_are_used(po):
    text = "\n".join(s for m in po if m.id for s in _strings(m))
    official = ("科技人才入境計劃", "創新科技署", "入境事務處", "香港科技園公司", "數碼港", "配額", "簽證", "園區主任")
    for name in official:
        assert name in text, name
    assert "創新科技署" in po["ITC quota"].string
    assert po["Park officer"].string == "園區主任"


# (b) the compiled catalogue is the source catalogue


def test_the_compiled_mo_matches_the_po(po):
    with MO.open("rb") as handle:
        compiled = read_mo(handle)
    expected = {_key(m.id): _key(m.string) for m in po if m.id}
    found = {_key(m.id): _key(m.string) for m in compiled if m.id}
    assert found == expected, "messages.mo is stale: run `pybabel compile -d talentcase/translations`"


def test_the_po_compiles_without_errors(tmp_path):
    """`pybabel compile` checks python-format entries too; it must finish with no error."""
    out = tmp_path / "messages.mo"
    result = subprocess.run(
        [str(PYBABEL), "compile", "-i", str(PO), "-o", str(out), "-l", "zh_Hant_HK"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == MO.read_bytes()


# (c) placeholders


def test_placeholders_match_between_source_and_translation(po):
    problems = []
    for message in po:
        if not message.id:
            continue
        wanted = {p for source in _ids(message) for p in PLACEHOLDER.findall(source)}
        for string in _strings(message):
            got = set(PLACEHOLDER.findall(string))
            if got != wanted:
                problems.append(f"{message.id!r}: {sorted(wanted)} != {sorted(got)} in {string!r}")
    assert not problems, "\n".join(problems)


def test_the_placeholder_check_catches_a_dropped_placeholder():
    assert set(PLACEHOLDER.findall("Welcome, %(name)s")) != set(PLACEHOLDER.findall("歡迎"))
    assert PLACEHOLDER.findall("%(n)d of %(m)d, {week}, 50%%") == ["%(n)d", "%(m)d", "{week}", "%%"]


# (d) user-facing template text is wrapped

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
TEXT_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}


class TextNodes(HTMLParser):
    """Visible text nodes and text-bearing attributes, outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value and value.strip():
                self.nodes.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


def text_nodes(html: str) -> list[str]:
    parser = TextNodes()
    parser.feed(html)
    parser.close()
    return parser.nodes


def unexplained_latin(nodes: list[str]) -> list[str]:
    """Text nodes that still hold Latin letters once the allowed names are removed."""
    found = []
    for node in nodes:
        rest = node
        for allowed in sorted(ALLOWED_LATIN, key=len, reverse=True):
            rest = rest.replace(allowed, " ")
        if re.search(r"[A-Za-z]", rest):
            found.append(node)
    return found


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(template_files()) > 30


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_wrapped_for_translation(path):
    nodes = text_nodes(JINJA.sub(" ", path.read_text(encoding="utf-8")))
    unwrapped = unexplained_latin(nodes)
    assert not unwrapped, f"wrap these in {{{{ _('…') }}}}: {unwrapped}"


def test_the_template_scan_catches_an_unwrapped_string():
    source = "<p>{{ _('Fine') }}</p><p>Save {{ x }}</p>{# Comment #}<button title=\"Close\">×</button><p>TC-2026</p>"
    assert unexplained_latin(text_nodes(JINJA.sub(" ", source))) == ["Save", "Close"]


# (e) pages render in Chinese


def chinese_session(client) -> None:
    response = client.get("/lang/zh_Hant_HK")
    assert response.status_code in (302, 303)


def assert_chinese_page(html: str) -> None:
    assert '<html lang="zh-Hant-HK">' in html
    assert re.search(r"[\u4e00-\u9fff]", html)


def english_ui_strings(po) -> list[str]:
    """Catalogue strings of two or more words with no placeholder: whole English UI phrases."""
    return [
        m.id
        for m in po
        if isinstance(m.id, str) and m.id not in SAME_AS_SOURCE and " " in m.id and not PLACEHOLDER.search(m.id)
    ]


def test_sign_in_page_is_chinese_with_no_english_ui_left(client, po):
    chinese_session(client)
    html = client.get("/login").get_data(as_text=True)
    assert_chinese_page(html)
    assert "登入" in html and "電郵地址" in html and "密碼" in html
    nodes = text_nodes(html)
    assert not unexplained_latin(nodes), unexplained_latin(nodes)
    visible = "\n".join(nodes)
    leftovers = [s for s in english_ui_strings(po) if s in visible]
    assert not leftovers, leftovers
    single_words = {m.id for m in po if isinstance(m.id, str) and m.id not in SAME_AS_SOURCE and " " not in m.id}
    assert not [node for node in nodes if node in single_words]


def test_english_is_the_default_and_the_switch_goes_back(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html
    chinese_session(client)
    assert "登入" in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_accept_language_chooses_chinese(client):
    html = client.get("/login", headers={"Accept-Language": "zh-HK,zh;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="zh-Hant-HK">' in html and "登入" in html


def test_case_and_documents_pages_are_chinese_with_chinese_dates(client, auth, people):
    case = make_portal_case(people)
    auth.as_user(people["hr_a"])
    chinese_session(client)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert_chinese_page(page)
    for text in ("開立日期", "時間線", "已開立個案", "草稿", "我的帳戶", "登出"):
        assert text in page, text
    assert "2026年3月2日" in page  # dates follow the locale (English is "2 Mar 2026")
    assert "2 Mar 2026" not in page
    assert case.reference in page

    documents = client.get(f"/cases/{case.id}/documents").get_data(as_text=True)
    assert_chinese_page(documents)
    for text in ("文件", "由公司提供", "由專才提供", "受養人", "上載"):
        assert text in documents, text
    assert "Provided by the company" not in documents


def test_the_case_page_shows_english_dates_in_english(client, auth, people):
    case = make_portal_case(people)
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "2 Mar 2026" in page and "2026年3月2日" not in page


def test_expert_portal_is_chinese(app, client, people):
    case = make_portal_case(people)
    token = issue_link(app, case)
    chinese_session(client)
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert_chinese_page(page)
    for text in ("你的香港工作簽證", "你個案的進度", "你的聯絡資料"):
        assert text in page, text
    assert "Your Hong Kong work visa" not in page
