"""The expert's re-send of a document: the passport expiry the case holds is filled in, a problem says to choose the
file again, and the too-large page has its heading (findings 17 and 23)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine

from tests.portal import NOW, issue_link, make_case


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people):
    return make_case(people, email="priya@candidate.test", full_name="Priya Raghunathan")


@pytest.fixture
def token(app, case):
    return issue_link(app, case)


def _upload(client, token: str, slug: str, data: bytes, filename: str, **extra):
    form = {f"{slug}-file": (io.BytesIO(data), filename)}
    form.update({f"{slug}-{key}": value for key, value in extra.items()})
    return client.post(f"/portal/{token}/documents/{slug}", data=form, content_type="multipart/form-data")


def test_the_passport_expiry_the_case_holds_is_filled_in_for_a_new_copy(client, db, case, token):
    case.passport_expiry_on = date(2034, 5, 1)
    db.session.commit()
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="passport-expires_on"[^>]*>', page).group(0)
    assert 'value="2034-05-01"' in field


def test_after_a_problem_the_expert_is_told_to_choose_the_file_again(client, db, case, token):
    response = _upload(client, token, "cv", b"<html>not a cv</html>", "cv.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    item = page[page.index('id="item-cv"') :]
    assert "Choose the file again" in item[: item.index("</li>")]


def test_the_too_large_page_has_a_heading(app, client, db, case, token):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = _upload(client, token, "cv", b"%PDF-" + b"0" * 5000, "cv.pdf")
    assert response.status_code == 413
    assert re.search(r"<h1[^>]*>[^<]*too large", response.get_data(as_text=True))
