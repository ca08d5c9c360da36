"""The submission bundles the authorities take (issue 20), read back from the produced PDFs with pypdf, pdftotext
and pdffonts: a cover letter to the right authority, particulars, a declaration, numbered and captioned tabs with
bookmarks, and no internal matter unless an officer asks for the internal annex."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tempfile

import pytest
from pypdf import PdfReader

from talentcase.accounts.services import issue_token
from talentcase.audit.models import AuditEntry
from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import submitted_case, upload_everything

STAFF_NOTE = "Photo to be replaced by the expert before the visa step"


def made(db, case, **request) -> tuple[Pack, bytes]:
    """Ask for a pack, render it as the worker would, and return it with its bytes."""
    result = packs.request_pack(case, **request)
    db.session.commit()
    render_pack(result.pack.id)
    db.session.expire_all()
    pack = db.session.get(Pack, result.pack.id)
    assert pack.status == "ready", pack.error
    return pack, get_storage().read(pack.storage_key)


def page_texts(data: bytes) -> list[str]:
    """pdftotext's text of every page (the layout as a reader sees it)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        text = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True, text=True)
    return text.stdout.split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


def accepted_case(db, people, *, dependant: bool = False):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    if dependant:
        documents.add_dependant(case, "spouse", "Bob Chan", None)
        db.session.commit()
    upload_everything(db, case, people["hr_a"], accept_by=people["officer"])
    return case


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


@pytest.mark.parametrize(
    ("stage", "authority"), [("quota", "Innovation and Technology Commission"), ("visa", "Immigration Department")]
)
def test_the_cover_letter_names_the_authority_and_lists_every_enclosure(db, people, stage, authority):
    case = accepted_case(db, people, dependant=stage == "visa")
    pack, data = made(db, case, draft=False, stage=stage)
    pages = page_texts(data)
    cover = flat(pages[0])
    assert authority in cover
    assert case.reference in cover and case.full_name in cover and case.position_title in cover
    tabs = packs.pack_tabs(pack, case)
    assert tabs
    for tab in tabs:
        assert f"{tab.number}. {tab.title}" in cover, tab.title
    assert "Declaration" in flat("\n".join(pages))
    if stage == "quota":  # the expert's passport is for ImmD, not for the quota
        assert not any(tab.kind == "passport" for tab in tabs)
    else:
        assert [tab.person for tab in tabs][-3:] == ["Bob Chan"] * 3  # the dependant's bundle after the principal's


def test_every_tab_has_its_bookmark_and_captioned_pages(db, people):
    case = accepted_case(db, people, dependant=True)
    pack, data = made(db, case, draft=False, stage="visa")
    reader = PdfReader(io.BytesIO(data))
    titles = outline_titles(reader)
    pages = [flat(text) for text in page_texts(data)]
    for tab in packs.pack_tabs(pack, case):
        assert f"Tab {tab.number}: {tab.title} — {tab.person}" in titles
        captioned = [text for text in pages if f"Tab {tab.number} · {tab.title} · {tab.person} · version 1" in text]
        assert len(captioned) == tab.pages, (tab, len(captioned))
    assert "Travel document: Bob Chan — Bob Chan" not in "\n".join(pages)  # finding 10: the name once


def test_the_uploaded_pages_under_their_captions_are_artifacts(db, people):
    """PDF/UA: an uploaded page is a picture of the enclosure laid under its captioned page, marked as an artifact so
    that a checker (and a screen reader) does not take it for untagged content of the pack; the caption stays tagged."""
    case = accepted_case(db, people, dependant=True)
    pack, data = made(db, case, draft=False, stage="visa")
    reader = PdfReader(io.BytesIO(data))
    uploaded = sum(tab.pages for tab in packs.pack_tabs(pack, case) if tab.document.mime_type == "application/pdf")
    assert uploaded
    laid = []
    for page in reader.pages:
        content = page.get_contents().get_data()
        if b" Do" in content.split(b"EMC", 1)[0]:
            laid.append(content)
    assert len(laid) == uploaded
    for content in laid:
        head, rest = content.split(b"EMC", 1)
        assert head.lstrip().startswith(b"/Artifact BMC"), head[:80]
        assert b"/MCID" in rest  # what WeasyPrint drew on top (the caption) is still in the structure tree
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_a_draft_lists_missing_items_as_missing_and_a_final_pack_is_refused(db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    pack, data = made(db, case, draft=True, stage="visa", language="zh_Hant_HK")
    text = flat("\n".join(page_texts(data)))
    assert "未提供" in text and "草稿" in text and "DRAFT" not in text
    with pytest.raises(packs.PackRefused):
        packs.request_pack(case, draft=False, stage="visa")


def test_the_filing_pack_holds_no_internal_matter_and_the_annex_only_when_an_officer_asks(db, people):
    from talentcase.cases import services as cases

    case = accepted_case(db, people)
    cases.take_action(case, "accept", role="officer", actor=people["officer"], note=STAFF_NOTE)
    db.session.commit()
    internal = ("Clock timeline", "Eligibility checklist", STAFF_NOTE, "working days", "Internal annex")
    _pack, data = made(db, case, draft=False, stage="visa")
    filing = flat("\n".join(page_texts(data)))
    assert not [words for words in internal if words in filing]
    with pytest.raises(packs.PackForbidden):
        packs.request_pack(case, draft=False, stage="visa", internal_annex=True, by=people["hr_a"])
    annex_pack, annex = made(db, case, draft=False, stage="visa", internal_annex=True, by=people["officer"])
    text = flat("\n".join(page_texts(annex)))
    assert all(words in text for words in internal)
    # HR never sees the officer's annex pack, neither as the latest nor by its id.
    assert packs.latest_pack(case, viewer=people["hr_a"]).id != annex_pack.id
    assert packs.ready_pack(case, annex_pack.id, viewer=people["hr_a"]) is None


def test_the_chinese_pack_is_tagged_in_the_traditional_face_with_latin_punctuation(db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    _pack, data = made(db, case, draft=True, stage="visa", language="zh_Hant_HK")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("zh-Hant")
    assert reader.metadata.title and case.reference in reader.metadata.title
    assert reader.metadata.author == people["company_a"].name
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        fonts = subprocess.run(["pdffonts", file.name], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    names = [row[0] for row in rows]
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts  # embedded and subset
    assert any(re.search(r"CJK-(TC|HK)", name) for name in names), names
    assert not any("JP" in name for name in names), names
    assert any(re.search(r"\+(DejaVu-Sans|Noto-Sans-(?!CJK)|Liberation|Arial)", name) for name in names), (
        names
    )  # a Latin face too


def test_the_file_name_says_the_stage_and_the_language(client, auth, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    pack, _data = made(db, case, draft=True, stage="visa", language="zh_Hant_HK")
    auth.as_user(people["hr_a"])
    response = client.get(f"/cases/{case.id}/packs/{pack.id}.pdf")
    assert f'filename="{case.reference}-visa-zh-Hant-draft.pdf"' in response.headers["Content-Disposition"]
    _row, token = issue_token(people["hr_a"])
    db.session.commit()
    api = client.get(f"/api/v1/cases/{case.id}/pack.pdf", headers={"Authorization": f"Bearer {token}"})
    assert f"{case.reference}-visa-zh-Hant-draft.pdf" in api.headers["Content-Disposition"]


def test_the_api_takes_the_stage_and_refuses_the_annex_to_hr(client, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    hr = {"Authorization": f"Bearer {issue_token(people['hr_a'])[1]}"}
    officer = {"Authorization": f"Bearer {issue_token(people['officer'])[1]}"}
    db.session.commit()
    url = f"/api/v1/cases/{case.id}/pack"
    assert client.post(url, json={"draft": True, "internal_annex": True}, headers=hr).status_code == 403
    assert client.post(url, json={"draft": True, "stage": "nope"}, headers=hr).status_code == 422
    assert client.post(url, json={"draft": True, "stage": "quota"}, headers=hr).status_code == 202
    assert client.post(url, json={"draft": True, "internal_annex": True}, headers=officer).status_code == 202
    stages = {(p.stage, p.has_internal_annex) for p in db.session.query(Pack)}
    assert stages == {("quota", False), ("quota", True)}  # a case in review: the quota bundle by default
    openapi = client.get("/api/v1/openapi.json").get_json()
    assert "stage" in openapi["components"]["schemas"]["PackRequest"]["properties"]


def test_hr_signs_the_declaration_and_the_printed_hash_is_the_reviewed_packs(db, people):
    case = accepted_case(db, people)
    company = people["company_a"]
    packs.set_signatory(company, "Mary Wong", "Head of People")
    reviewed, reviewed_data = made(db, case, draft=False, stage="visa")
    hr = people["hr_a"]
    with pytest.raises(packs.SignatureRefused):
        packs.sign_pack(reviewed, typed_name="Someone Else", by=hr)
    signature = packs.sign_pack(reviewed, typed_name=hr.name, by=hr)
    db.session.commit()
    assert signature.document_sha256 == hashlib.sha256(reviewed_data).hexdigest()
    entry = db.session.query(AuditEntry).filter_by(action="pack_signed").one()
    assert entry.actor_id == hr.id and entry.detail["sha256"] == signature.document_sha256
    assert entry.detail["pack_id"] == reviewed.id and entry.detail["signed_at"]
    render_pack(signature.signed_pack_id)
    db.session.expire_all()
    signed = db.session.get(Pack, signature.signed_pack_id)
    text = flat("\n".join(page_texts(get_storage().read(signed.storage_key))))
    assert f"Signed electronically by {hr.name}" in text and "Mary Wong" in text and "Head of People" in text
    printed = re.search(r"SHA-256 ([0-9a-f ]{64,80})", text).group(1).replace(" ", "")[:64]
    assert printed == signature.document_sha256


def test_table_rows_are_not_split_across_pages(db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    case.duties = " ".join(["Design and build perception models for warehouse robots."] * 40)
    db.session.commit()
    _pack, data = made(db, case, draft=True, stage="quota")
    pages = [flat(text) for text in page_texts(data)]
    for label, value in (("Duties", "Design and build"), ("Monthly salary", "60,000")):
        assert any(label in text and value in text for text in pages), label


def test_the_merge_never_copies_the_annotations_of_uploaded_pages(app):
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    from talentcase.common import pdf

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    link = Link(rect=(50, 50, 200, 80), url="https://evil.example/launch")
    writer.add_annotation(0, link)
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
            )
        }
    )
    upload = io.BytesIO()
    writer.write(upload)
    source = PdfReader(io.BytesIO(upload.getvalue())).pages[0]
    html = "<p>front</p><p style='break-before: page'>under</p>"
    merged = PdfReader(io.BytesIO(pdf.render(html, place=lambda anchors: {1: source}).data))
    raw = b"".join(
        bytes(str(page.get("/Annots")), "utf-8") + bytes(str(page.get("/AA")), "utf-8") for page in merged.pages
    )
    assert b"evil.example" not in raw and b"JavaScript" not in raw
    assert all(
        "/Annots" not in page or not any("evil" in str(a.get_object()) for a in page["/Annots"])
        for page in merged.pages
    )


def test_the_chinese_pack_has_no_english_label_left(db, people):
    """Every fixed word of the pack template has its Traditional Chinese entry, and none is left in English."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    template = (root / "templates/pdf/pack.html").read_text()
    words = set(re.findall(r"_\('([^'%]+)'\)", template)) | set(
        re.findall(r"_\('([^']*%\([a-z]+\)[sd][^']*)'", template)
    )
    with (root / "talentcase/translations/zh_Hant_HK/LC_MESSAGES/messages.po").open("rb") as file:
        catalogue = {message.id: message.string for message in read_po(file) if message.id}
    assert len(words) > 40
    assert not [word for word in words if not catalogue.get(word)]
    case = accepted_case(db, people, dependant=True)
    _pack, data = made(db, case, draft=True, stage="visa", language="zh_Hant_HK")
    text = flat("\n".join(page_texts(data)))
    fixed = [word.split("%(")[0].strip(" :(") for word in words]
    left = [word for word in fixed if len(word) > 3 and word in text]
    assert not left, left
    assert "配偶或伴侶" in text and "spouse" not in text.lower()
