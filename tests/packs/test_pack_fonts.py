"""Latin text and punctuation come from a Latin font, Chinese from the Traditional Chinese face: with the CJK font
first, apostrophes and quotes in English came out full-width ("bachelor’ s"), in the pages and in the pack."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from talentcase.common.storage import get_storage
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import submitted_case

ROOT = Path(__file__).resolve().parents[2]
LATIN = ("Noto Sans", "Arial", "Helvetica Neue", "Liberation Sans", "DejaVu Sans")


def _stacks(css: str) -> list[list[str]]:
    """Every font-family list in the style sheet, each as its family names."""
    return [
        [name.strip().strip('"') for name in stack.split(",")]
        for stack in re.findall(r"font-family:\s*([^;}]+)", css)
        if "monospace" not in stack
    ]


@pytest.mark.parametrize("sheet", ["talentcase/static/css/app.css", "templates/pdf/pack.css"])
def test_every_font_stack_names_a_latin_font_before_the_traditional_chinese_face(sheet):
    stacks = _stacks((ROOT / sheet).read_text())
    assert stacks
    for stack in stacks:
        assert stack[0] in LATIN, stack
        assert not any("JP" in name for name in stack), stack
        cjk = [name for name in stack if "CJK" in name or name.endswith((" TC", " HK"))]
        if cjk:  # after every Latin font, and a Traditional Chinese face (TC or HK)
            assert all(stack.index(name) > stack.index(latin) for name in cjk for latin in stack if latin in LATIN)
            assert any(name.endswith(("TC", "HK")) for name in cjk), stack


def _runs(reader: PdfReader) -> list[tuple[str, str]]:
    """(text, font) for every run of text the pack draws (a change of font starts a new run)."""
    runs = []

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            runs.append((text.strip(), str(font["/BaseFont"]).split("+", 1)[-1]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("language", ["en", "zh_Hant_HK"])
def test_the_pack_sets_latin_text_in_a_latin_font_and_chinese_in_the_traditional_face(app, db, people, language):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    request = packs.request_pack(case, draft=True, language=language)
    db.session.commit()
    assert render_pack(request.pack.id) == "rendered"
    db.session.expire_all()
    pack = db.session.get(Pack, request.pack.id)
    runs = _runs(PdfReader(io.BytesIO(get_storage().read(pack.storage_key))))
    latin = [(text, font) for text, font in runs if re.fullmatch(r"[A-Za-z0-9 .,:;'’()/·—-]+", text)]
    chinese = [(text, font) for text, font in runs if re.search(r"[\u4e00-\u9fff]", text)]
    assert latin and all("CJK" not in font for _text, font in latin), [r for r in latin if "CJK" in r[1]][:5]
    assert all("JP" not in font for _text, font in runs), [run for run in runs if "JP" in run[1]][:8]
    if language != "en":
        assert chinese and all(font.endswith(("TC", "HK", "TC-Bold", "HK-Bold")) for _text, font in chinese), {
            font for _text, font in chinese
        }
