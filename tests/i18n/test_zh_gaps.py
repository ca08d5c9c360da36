"""Gaps found with the UI in Traditional Chinese: WTForms' own messages, file sizes, the uploader's name, the progress
bar's script, the language across sign-out, and the expert portal's first language.

Expected texts come from WTForms' and Babel's own data or from `gettext` in the locale, so that these tests do not
depend on the lead having translated new catalogue entries yet.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_CEILING, ROUND_FLOOR
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from talentcase.common.forms import wtforms_locales
from talentcase.common.i18n import actor_name
from talentcase.documents import display
from talentcase.documents import services as documents
from talentcase.documents.validation import UploadRejected, human_size, validate_upload
from talentcase.packs.models import Pack
from tests.i18n.test_catalogue import chinese_session
from tests.packs.helpers import submitted_case
from tests.portal import issue_link, make_pdf
from tests.portal import make_case as make_portal_case

ROOT = Path(__file__).resolve().parents[2]
PROGRESS_JS = ROOT / "talentcase" / "static" / "js" / "progress.js"
MB = 1024 * 1024


def _html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, page[:200]
    return found.group(1)


# --- 1. WTForms' built-in messages in Traditional Chinese ----------------------------------------------------------


class NameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])


def _errors(locale: str, name: str) -> list[str]:
    with force_locale(locale):
        form = NameForm(formdata=MultiDict({"name": name}), meta={"csrf": False})
        form.validate()
        return [str(error) for error in form.name.errors]


def test_wtforms_catalogues_for_each_locale():
    assert wtforms_locales("zh_Hant_HK") == ("zh_TW", "zh")
    assert wtforms_locales("en") == ("en",)


def test_wtforms_messages_are_traditional_chinese_for_zh_hant_hk(app):
    with app.test_request_context():
        # Traditional, from WTForms' zh_TW catalogue; its zh one (Simplified) says 字段长度不能超过 200 个字符。
        assert _errors("zh_Hant_HK", "x" * 201) == ["欄位長度不能超過 200 個字元。"]
        assert _errors("zh_Hant_HK", "") == ["此欄位是必需的。"]
        assert _errors("en", "x" * 201) == ["Field cannot be longer than 200 characters."]


def test_wtforms_messages_follow_a_locale_forced_later_in_the_same_request(app):
    # The portal renders in the expert's language with force_locale; Flask-WTF used to keep the request's first one.
    with app.test_request_context():
        assert _errors("en", "") == ["This field is required."]
        assert _errors("zh_Hant_HK", "") == ["此欄位是必需的。"]


def test_a_chinese_admin_page_shows_wtforms_messages_in_traditional_chinese(client, auth, people):
    auth.as_user(people["admin"])
    chinese_session(client)
    company = people["company_a"]
    response = client.post(
        f"/admin/companies/{company.id}",
        data={"name": "x" * 201, "park": "HKSTP", "br_number": "", "br_expiry_on": "not a date"},
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "欄位長度不能超過 200 個字元" in page
    assert "字段长度不能超过" not in page


# --- 2. File sizes in the reader's locale, never the limit's figure for a file over it --------------------------


def test_file_sizes_are_written_by_babel_in_the_locale(app):
    with app.test_request_context():
        with force_locale("en"):
            assert human_size(1) == "1 byte"
            assert human_size(551) == "551 bytes"
            assert human_size(50_000) == "48.8 KB"
            assert human_size(10 * MB) == "10.0 MB"
        with force_locale("zh_Hant_HK"):
            assert human_size(551) == "551 位元組"
            assert human_size(10 * MB) == "10.0 MB"
        with force_locale("de"):  # a locale with other separators shows that Babel writes the number
            assert human_size(1_500_000) == "1,4 MB"
            assert human_size(2_000 * MB) == "2.000,0 MB"


def test_a_file_just_over_the_limit_shows_a_larger_figure_than_the_limit(app):
    limit = 10 * MB
    with pytest.raises(UploadRejected) as caught:
        validate_upload(bytes(10_485_875), "scan.pdf", max_bytes=limit)
    with app.test_request_context(), force_locale("en"):
        message = str(caught.value.message)
    assert "The file is 10.1 MB; files can be at most 10.0 MB." in message


def test_the_size_in_the_refusal_is_written_when_the_message_is_shown(app):
    with pytest.raises(UploadRejected) as caught:
        validate_upload(bytes(1_500_000), "scan.pdf", max_bytes=MB)
    with app.test_request_context(), force_locale("de"):
        assert "1,5 MB" in str(caught.value.message) and "1,0 MB" in str(caught.value.message)


@given(limit=st.integers(min_value=1, max_value=4_000 * MB), over=st.integers(min_value=1, max_value=2 * MB))
def test_a_size_over_the_limit_never_reads_as_the_limit(limit, over):
    assert human_size(limit + over, rounding=ROUND_CEILING) != human_size(limit, rounding=ROUND_FLOOR)


def test_the_upload_limit_is_rounded_down(app):
    app.config["MAX_UPLOAD_BYTES"] = 10 * MB + 100 * 1024  # 10.098 MB: never promise 10.1
    with app.test_request_context(), force_locale("en"):
        assert display.upload_limit() == "10.0 MB"


# --- 3. The uploader's fixed label translated where it is shown --------------------------------------------------


def test_fixed_actor_labels_are_translated_and_others_left_alone(app):
    with app.test_request_context():
        with force_locale("zh_Hant_HK"):
            assert actor_name("expert") == gettext("the expert")
        with force_locale("en"):
            assert actor_name("expert") == "the expert"
        assert actor_name("former.hr@alpha.test") == "former.hr@alpha.test"


def _expert_uploads_twice(db, people):
    case = make_portal_case(people)
    for _ in range(2):
        documents.upload(case, "cv", make_pdf(), "cv.pdf", uploader_label="expert", provider_only="expert")
    db.session.commit()
    return case


def test_a_document_the_expert_uploaded_names_the_expert_in_words(app, client, auth, people, db):
    case = _expert_uploads_twice(db, people)
    auth.as_user(people["hr_a"])
    page = html.unescape(client.get(f"/cases/{case.id}/documents").get_data(as_text=True))
    assert "by the expert" in page
    assert not re.search(r"by expert\b", page)


def test_a_document_the_expert_uploaded_names_the_expert_in_chinese(app, client, auth, people, db):
    case = _expert_uploads_twice(db, people)
    auth.as_user(people["hr_a"])
    chinese_session(client)
    page = html.unescape(client.get(f"/cases/{case.id}/documents").get_data(as_text=True))
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        older_version = gettext("by %(who)s", who=gettext("the expert"))
        raw = gettext("by %(who)s", who="expert")
    assert older_version in page
    assert raw not in page


# --- 4. The progress bar's script takes its words from the page ----------------------------------------------------


def test_progress_js_has_no_english_sentences():
    script = PROGRESS_JS.read_text(encoding="utf-8")
    for english in ("The pack could not be made.", "Try again", "Working…", "The pack is ready.", "Waiting for"):
        assert english not in script


def test_the_progress_page_gives_the_script_its_words_in_the_reader_language(app, client, auth, people, db):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    chinese_session(client)
    client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"})
    pack = db.session.query(Pack).one()
    page = client.get(f"/cases/{case.id}/packs/{pack.id}").get_data(as_text=True)
    box = re.search(r'<div id="pack-progress"[^>]*>', page).group(0)
    attributes = {name: html.unescape(value) for name, value in re.findall(r'(data-[a-z-]+-text)="([^"]*)"', box)}
    read_by_script = set(re.findall(r'"(data-[a-z-]+-text)"', PROGRESS_JS.read_text(encoding="utf-8")))
    assert read_by_script and read_by_script <= set(attributes)
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        expected = {
            "data-ready-text": gettext("The pack is ready."),
            "data-failed-text": gettext("The pack could not be made.")
            + " "
            + gettext("Try again. If it fails again, tell the park office, quoting %(ref)s.", ref=case.reference),
            "data-working-text": gettext("Working…"),
            "data-waiting-text": gettext("Waiting for a worker to start…"),
            "data-retrying-text": gettext("Trying again after an error…"),
        }
    assert attributes == expected


# --- 5. The chosen language survives signing out --------------------------------------------------------------------


def test_signing_out_keeps_the_chosen_language_and_nothing_else(client, auth, people):
    chinese_session(client)
    auth.login("hr@alpha.test")
    with client.session_transaction() as stored:
        stored["planted"] = "anything"
    client.post("/logout")
    with client.session_transaction() as stored:
        assert dict(stored).get("lang") == "zh_Hant_HK"
        assert "_user_id" not in stored and "planted" not in stored
    page = client.get("/login").get_data(as_text=True)
    assert _html_lang(page) == "zh-Hant-HK"


def test_signing_out_keeps_the_language_the_user_chose_in_their_preferences(client, auth, people, db):
    people["hr_a"].preferred_language = "zh_Hant_HK"
    db.session.commit()
    auth.login("hr@alpha.test")
    client.post("/logout")
    assert _html_lang(client.get("/login").get_data(as_text=True)) == "zh-Hant-HK"


def test_signing_out_in_english_stays_english(client, auth, people):
    auth.login("hr@alpha.test")
    client.post("/logout")
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _html_lang(page) == "en"


# --- 6. The expert portal's first language -------------------------------------------------------------------------


ZH_HK_BROWSER = {"Accept-Language": "zh-HK,zh;q=0.9,en;q=0.5"}


def test_the_portal_opens_in_the_browser_language_when_nobody_chose_one(app, client, people):
    token = issue_link(app, make_portal_case(people))
    assert _html_lang(client.get(f"/portal/{token}", headers=ZH_HK_BROWSER).get_data(as_text=True)) == "zh-Hant-HK"
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    assert _html_lang(client.get(f"/portal/{token}", headers=english_browser).get_data(as_text=True)) == "en"
    unsupported = {"Accept-Language": "fr-FR"}
    assert _html_lang(client.get(f"/portal/{token}", headers=unsupported).get_data(as_text=True)) == "en"


def test_the_expert_choice_on_this_browser_beats_the_browser_language(app, client, people):
    token = issue_link(app, make_portal_case(people))
    client.get(f"/lang/en?next=/portal/{token}")
    assert _html_lang(client.get(f"/portal/{token}", headers=ZH_HK_BROWSER).get_data(as_text=True)) == "en"


def test_the_case_language_for_the_expert_beats_the_browser_language(app, client, people, db):
    case = make_portal_case(people)
    case.expert_language = "zh_Hant_HK"
    db.session.commit()
    token = issue_link(app, case)
    page = client.get(f"/portal/{token}", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert _html_lang(page) == "zh-Hant-HK"


def test_the_browser_language_is_not_stored_as_a_choice(app, client, people):
    token = issue_link(app, make_portal_case(people))
    client.get(f"/portal/{token}", headers=ZH_HK_BROWSER)
    with client.session_transaction() as stored:
        assert "lang" not in stored
