"""Officer console screens: the home, the all-cases list with its CSV export, and the calendar feed."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.accounts import queries as account_queries
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import PARKS
from talentcase.audit.requests import record_request
from talentcase.cases import labels, ownership
from talentcase.cases import queries as case_queries
from talentcase.cases.policy import TECH_AREAS, park_name
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.confirm import ConfirmForm
from talentcase.common.i18n import day_text
from talentcase.common.paging import page_arg
from talentcase.common.roles import Role
from talentcase.officers import calendar_feed, charts, export, likely, queries, queue, trends
from talentcase.officers.filters import CLOCK_STATES, OWNER_ME, OWNER_NONE, SORTS, CaseFilters

bp = Blueprint("officers", __name__, url_prefix="/officers")


def _words() -> SimpleNamespace:
    """The label dictionaries in the request's language: a list page would otherwise translate each lazy label again
    for every row and every option (a third of the list's server time)."""
    return _words_in(str(get_locale()))


@lru_cache(maxsize=8)
def _words_in(locale: str) -> SimpleNamespace:
    """Translated once per language and process: the catalogues are fixed while the process runs (no case data)."""

    def resolved(names) -> dict[str, str]:
        return {code: str(name) for code, name in names.items()}

    with force_locale(locale):
        return SimpleNamespace(
            STATUS_NAMES=resolved(labels.STATUS_NAMES),
            CLOCK_NAMES=resolved(labels.CLOCK_NAMES),
            STATE_NAMES=resolved(labels.STATE_NAMES),
            PARTY_NAMES=resolved(labels.PARTY_NAMES),
            PAUSED_FOR=resolved(labels.PAUSED_FOR),
            TECH_AREAS=resolved(TECH_AREAS),
        )


def _chart_labels() -> dict[str, str]:
    return {
        "week_title": _("Week of {week}: median {median} days, {visas} visas"),
        "days_title": _("Median days from submission to visa, by week"),
        "days_desc": _(
            "Weekly median of calendar days from submission to the issued visa over the last 26 weeks, "
            "against the 28-day target; the table below gives every figure."
        ),
        "target_line": _("28-day target"),
        "month_title": _("{month}: {share} within target ({met} of {visas} visas)"),
        "share_title": _("Share of visas issued within the four-week target, by month"),
        "share_desc": _("Per month over the last 12 months; the table below gives every figure."),
    }


@bp.route("/")
@roles_required(Role.OFFICER)
def home():
    today = clock.today()
    weekly = trends.weekly_median_days_to_visa(today)
    monthly = trends.monthly_share_within_target(today)
    funnel = trends.funnel()
    chart_labels = _chart_labels()
    svg = {
        "days": charts.days_to_visa_chart(weekly, target=trends.TARGET_DAYS, labels=chart_labels),
        "share": charts.share_chart(monthly, labels=chart_labels),
        "funnel": charts.bar_chart(
            "chart-funnel",
            [(str(labels.STATUS_NAMES[status]), count) for status, count in funnel],
            title=_("Cases in each state"),
            description=_("Number of cases in each state of a case's life; the table below gives every figure."),
        ),
    }
    return render_template(
        "officers/home.html",
        today=today,
        work=queue.your_work(current_user.id, today),
        counts=queries.clock_state_counts(today),
        at_risk=queries.at_risk_queue(today),
        likely=likely.likely_to_breach(today),
        breaches=queries.breaches(today),
        waiting=queries.waiting_on(today),
        ageing=queries.ageing(today),
        companies=queries.companies(today),
        weekly=weekly,
        monthly=monthly,
        funnel=funnel,
        charts=svg,
        states=queries.RUNNING_STATES,
        labels=_words(),
        target_days=trends.TARGET_DAYS,
        expiry_days=queries.QUOTA_EXPIRY_WARNING_DAYS,
    )


def _attention_badges(case_ids: list[int], today: date) -> dict[int, list[tuple[str, str, str]]]:
    """Each case's clocks that still need attention (running ones and missed targets), with their due day in words."""
    badges: dict[int, list] = {}
    due_texts: dict = {}
    for case_id, clocks in case_queries.clock_badges(case_ids, today).items():
        badges[case_id] = []
        for name, state, due_on, is_paused in clocks:
            if state in ("met", "stopped"):
                continue  # the list shows what still needs attention: running clocks and missed targets
            if due_on not in due_texts:
                due_texts[due_on] = _("due %(day)s", day=day_text(due_on)) if due_on else ""
            badges[case_id].append((name, state, due_texts[due_on], is_paused))
    return badges


@bp.route("/cases")
@roles_required("officer")
def cases():
    today = clock.today()
    filters = CaseFilters.from_args(request.args, viewer_id=current_user.id)
    found = queries.case_page(
        current_user, filters, today, page=page_arg(request.args), per_page=current_app.config["CASES_PER_PAGE"]
    )
    words = _words()
    active_officers = [(officer.id, officer.display_name) for officer in ownership.active_officers()]
    return render_template(
        "officers/cases.html",
        rows=found.items,
        badges=_attention_badges([row.id for row in found.items], today),
        total=found.total,
        page=found.page,
        pages=found.pages,
        filters=filters,
        companies=account_queries.company_names(),
        officers=account_queries.officer_names(),
        owners=[(OWNER_ME, _("Mine (and those I cover)")), (OWNER_NONE, _("No owner yet")), *active_officers],
        active_officers=active_officers,
        parks=[(code, park_name(code)) for code in PARKS],
        clock_states=[(code, words.STATE_NAMES[code]) for code in CLOCK_STATES],
        sorts=[(code, str(label)) for code, (label, _order) in SORTS.items()],
        labels=words,
    )


@bp.route("/cases.csv")
@roles_required(Role.OFFICER)
def export_cases():
    today = clock.today()
    filters = CaseFilters.from_args(request.args, viewer_id=current_user.id)
    record_request("cases_exported", filters=filters.as_args())
    # In words of the page's language, resolved here: the rows are written after this view has returned.
    words = export.words_for_request(_words())
    response = Response(export.csv_chunks(filters, today, words), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="talentcase-cases-{today.isoformat()}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def calendar():
    form = ConfirmForm()
    feed = calendar_feed.feed_of(current_user)
    new_url = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if feed is not None and not form.is_confirmed:
            # A new address kills the one in use: asked first (the page's own "Make a new address" is secondary).
            return render_template("officers/confirm_new_feed.html", form=form, feed=feed)
        plain = calendar_feed.issue_feed(current_user)
        record_request("calendar_feed_issued", target_type="user", target_id=current_user.id)
        new_url = url_for("officers.calendar_ics", token=plain, _external=True)
        feed = calendar_feed.feed_of(current_user)
    webcal_url = re.sub(r"^https?://", "webcal://", new_url) if new_url else None
    return render_template("officers/calendar.html", feed=feed, new_url=new_url, webcal_url=webcal_url, form=form)


@bp.route("/calendar/revoke", methods=["POST"])
@roles_required(Role.OFFICER)
def calendar_revoke():
    if not EmptyForm().validate_on_submit():
        abort(400)
    if calendar_feed.revoke_feed(current_user):
        record_request("calendar_feed_revoked", target_type="user", target_id=current_user.id)
        flash(_("Your calendar feed is switched off; its address no longer works."), "success")
    return redirect(url_for("officers.calendar"))


@bp.route("/calendar/<token>.ics")
def calendar_ics(token: str):
    """The feed itself: no sign-in (calendar programs cannot), the secret address is the key."""
    feed = calendar_feed.feed_for_token(token)
    if feed is None:
        abort(404)
    body = calendar_feed.build_calendar(
        feed.user, lambda case_id: url_for("cases.show", case_id=case_id, _external=True)
    )
    calendar_feed.mark_used(feed)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="talentcase-due-dates.ics"'
    return response


from talentcase.officers import owner_views  # noqa: E402,F401  (reassignment, on this blueprint)
