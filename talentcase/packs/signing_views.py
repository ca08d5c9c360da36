"""HR sign a pack's declaration, and set who signs for the company: the two pages around the signature."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.accounts.models import Company
from talentcase.common.auth import roles_required
from talentcase.common.http import client_ip
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.packs import services as packs
from talentcase.packs.forms import SignatoryForm, SignForm
from talentcase.packs.views import bp, pack_of


@bp.route("/cases/<int:case_id>/packs/<int:pack_id>/sign", methods=["GET", "POST"])
@roles_required(Role.HR)
def sign(case_id: int, pack_id: int):
    """Check the pack, type your name, confirm: the signed pack is made from the same inputs."""
    case, pack = pack_of(case_id, pack_id)
    if not packs.may_sign(pack, case, current_user):
        abort(404)
    form = SignForm()
    if not form.is_submitted():
        form.title.data = case.company.signatory_title
    if form.validate_on_submit():
        try:
            signature = packs.sign_pack(
                pack, typed_name=form.typed_name.data, title=form.title.data, by=current_user, ip=client_ip()
            )
        except packs.SignatureRefused as refused:
            form.typed_name.errors = [str(refused)]
        else:
            flash(_("You signed the declaration. The signed pack is being made."), "info")
            return redirect(url_for("packs.progress", case_id=case.id, pack_id=signature.signed_pack_id))
    return render_template("packs/sign.html", case=case, pack=pack, form=form, file_name=packs.file_name(pack, case))


def _company_for(company_id: int) -> Company:
    """The company whose pack details the user may set: HR their own, an administrator any."""
    company = db.session.get(Company, company_id)
    if company is None or (current_user.role == Role.HR and current_user.company_id != company.id):
        abort(404)
    return company


@bp.route("/companies/<int:company_id>/pack-details", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def company_details(company_id: int):
    """Company details for packs: who signs the cover letters and declarations."""
    company = _company_for(company_id)
    form = SignatoryForm(obj=company)
    if form.validate_on_submit():
        packs.set_signatory(company, form.signatory_name.data, form.signatory_title.data)
        flash(_("Saved. New packs name %(name)s as the signatory.", name=company.signatory_name), "info")
        return redirect(url_for("packs.company_details", company_id=company.id))
    return render_template("packs/company_details.html", company=company, form=form)
