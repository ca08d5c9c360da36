"""A rejected document tells whoever must replace it, with the reason and a link to the item: the company's HR (a
notice and a mail) and, for a document of the expert's, the expert by mail in their language with a working link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from talentcase.documents import services as documents
from talentcase.notifications.models import Notification, OutboundMail
from talentcase.notifications.tasks import deliver_mail
from talentcase.portal.services import invite
from tests.documents.test_document_views import make_image, make_pdf
from tests.portal import make_case, walk


def _reject(client, auth, people, case, document, reason: str):
    auth.as_user(people["officer"])
    response = client.post(
        f"/cases/{case.id}/documents/{document.id}/review", data={"decision": "reject", "reason": reason}
    )
    assert response.status_code == 302


def test_a_rejected_photo_tells_hr_and_the_expert_with_the_reason_and_a_link(app, client, auth, db, people, smtp_peer):
    case = make_case(people, email="priya@candidate.test", full_name="Priya Raghunathan")
    walk(case, people, "review")
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    photo = documents.upload(case, "photo", make_image(), "photo.png", uploader=people["hr_a"])
    db.session.commit()
    before = set(db.session.scalars(select(OutboundMail.id)))

    _reject(client, auth, people, case, photo, "The background must be plain white.")

    notice = db.session.scalars(
        select(Notification).where(Notification.user_id == people["hr_a"].id, Notification.kind == "document_rejected")
    ).one()
    assert case.reference in notice.title and "The background must be plain white." in notice.body
    mails = db.session.scalars(select(OutboundMail).where(OutboundMail.id.not_in(before))).all()
    assert {mail.kind: mail.to_address for mail in mails} == {
        "document_rejected": "hr@alpha.test",
        "expert_document_rejected": "priya@candidate.test",
    }
    for mail in mails:
        deliver_mail(mail.id)
    hr_body = smtp_peer.handler.to("hr@alpha.test")[0].get_content()
    hr_link = re.search(r"https?://\S+", hr_body).group(0)
    assert urlsplit(hr_link).fragment == "item-photo-0"
    auth.as_user(people["hr_a"])
    page = client.get(urlsplit(hr_link).path)
    assert page.status_code == 200 and 'id="item-photo-0"' in page.get_data(as_text=True)

    expert_body = smtp_peer.handler.to("priya@candidate.test")[-1].get_content()
    assert "The background must be plain white." in expert_body
    auth.logout()
    portal = client.get(urlsplit(re.search(r"https?://\S+/portal/\S+", expert_body).group(0)).path)
    assert portal.status_code == 200 and "Priya Raghunathan" in portal.get_data(as_text=True)


def test_a_rejected_company_document_tells_hr_only(app, client, auth, db, people):
    case = make_case(people, email="priya@candidate.test")
    walk(case, people, "review")
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    contract = documents.upload(case, "employment_contract", make_pdf(), "contract.pdf", uploader=people["hr_a"])
    db.session.commit()
    _reject(client, auth, people, case, contract, "The salary page is missing.")
    kinds = db.session.scalars(select(OutboundMail.kind).where(OutboundMail.kind.like("%document_rejected"))).all()
    assert kinds == ["document_rejected"]
