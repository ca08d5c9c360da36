"""The pack pages around the bundles: the refusal where the person is, the stage and annex choices, HR's
signature of the declaration, and the company's signatory page."""

from __future__ import annotations

import re

from talentcase.audit.models import AuditEntry
from talentcase.packs import services as packs
from talentcase.packs.models import Pack, PackSignature
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import submitted_case, upload_everything


def test_a_refused_pack_is_explained_at_the_top_of_the_page_with_links_to_the_missing_documents(
    client, auth, db, people
):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/packs", data={"kind": "final", "stage": "visa", "language": "en"})
    assert response.status_code == 302 and "#" not in response.headers["Location"]  # lands at the top of the page
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    summary = page[page.index('id="pack-refused"') :]
    assert page.index('id="pack-refused"') < page.index("<h1")
    assert f'/cases/{case.id}/documents#item-passport-0"' in summary
    assert "required documents are not accepted" in summary and "document(s)" not in summary
    assert db.session.query(Pack).count() == 0


def test_the_case_page_offers_the_stage_and_only_officers_the_annex(client, auth, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert re.search(r'id="pack-stage-quota" name="stage" value="quota" checked', page)  # in review: the quota next
    assert 'name="internal_annex"' not in page
    assert f"/companies/{case.company_id}/pack-details" in page
    assert client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "internal_annex": "yes"}).status_code == 403
    auth.as_user(people["officer"])
    assert 'name="internal_annex"' in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "stage": "visa", "internal_annex": "yes"})
    annex = db.session.query(Pack).one()
    assert annex.has_internal_annex and annex.stage == "visa"
    render_pack(annex.id)
    auth.as_user(people["hr_a"])
    assert client.get(f"/cases/{case.id}/packs/{annex.id}").status_code == 404
    assert client.get(f"/cases/{case.id}/packs/{annex.id}.pdf").status_code == 404
    assert f"/packs/{annex.id}" not in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_hr_set_the_signatory_then_review_and_sign_the_declaration(client, auth, db, people):
    hr = people["hr_a"]
    case = submitted_case(db, people["company_a"], hr)
    upload_everything(db, case, hr, accept_by=people["officer"])
    auth.as_user(hr)
    url = f"/companies/{case.company_id}/pack-details"
    refused = client.post(url, data={"signatory_name": "", "signatory_title": ""})
    assert refused.status_code == 200 and "Enter the name of the person who signs." in refused.get_data(as_text=True)
    client.post(url, data={"signatory_name": "Mary Wong", "signatory_title": "Head of People"})
    assert people["company_a"].signatory_name == "Mary Wong"
    assert client.get(f"/companies/{people['company_b'].id}/pack-details").status_code == 404
    location = client.post(f"/cases/{case.id}/packs", data={"kind": "final", "stage": "visa"}).headers["Location"]
    pack = db.session.query(Pack).one()
    render_pack(pack.id)
    progress = client.get(location).get_data(as_text=True)
    sign_url = f"/cases/{case.id}/packs/{pack.id}/sign"
    assert sign_url in progress
    wrong = client.post(sign_url, data={"typed_name": "Mary Wong", "title": "Head of People", "confirmed": "y"})
    assert wrong.status_code == 200 and f"Type your name as your account shows it: {hr.name}." in wrong.get_data(
        as_text=True
    )
    assert db.session.query(PackSignature).count() == 0
    signed = client.post(sign_url, data={"typed_name": hr.name, "title": "HR Manager", "confirmed": "y"})
    assert signed.status_code == 302
    signature = db.session.query(PackSignature).one()
    assert signature.signer_id == hr.id and signature.signer_title == "HR Manager"
    entry = db.session.query(AuditEntry).filter_by(action="pack_signed").one()
    assert entry.ip is not None and entry.detail["sha256"] == signature.document_sha256
    assert signed.headers["Location"].endswith(f"/packs/{signature.signed_pack_id}")
    render_pack(signature.signed_pack_id)
    download = client.get(f"/cases/{case.id}/packs/{signature.signed_pack_id}.pdf")
    assert f"{case.reference}-visa-en-signed.pdf" in download.headers["Content-Disposition"]
    assert packs.may_sign(db.session.get(Pack, signature.signed_pack_id), case, hr) is False
