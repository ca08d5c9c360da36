"""Sentences made by pure code (the SLA explanations, the state machine's refusals): wrapped for extraction, and
shown in the reader's language with Hong Kong dates and the official Chinese holiday names."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from talentcase.cases import workflow
from talentcase.common.hkdays import CLOSURE_KINDS, closure_reason
from talentcase.common.i18n import translator
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import Event, compute_clocks

ROOT = Path(__file__).resolve().parents[2]
# Pure modules whose user-facing sentences are Msg / N_ markers rather than _() calls.
PURE_MODULES = (
    "talentcase/sla/engine.py",
    "talentcase/sla/calendar.py",
    *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "talentcase/cases/workflow").glob("*.py")),
)
MARKERS = {"N_", "gettext", "ngettext"}
# Exceptions for developers (bad input to a function), not for users.
DEVELOPER_ERRORS = {"ValueError", "TypeError", "KeyError"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def unwrapped_sentences(source: str) -> list[str]:
    """String literals of two or more words that are neither docstrings, nor inside a marker, nor developer errors."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0].value if isinstance(body, list) and body and isinstance(body[0], ast.Expr) else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            skip.add(id(first))  # a docstring
        if isinstance(node, ast.Call) and (_name(node) in MARKERS or _name(node) in DEVELOPER_ERRORS):
            skip.update(id(inner) for inner in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.split()) >= 2:
            found.append(node.value)
    return found


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_have_no_unwrapped_sentences(module):
    leftovers = unwrapped_sentences((ROOT / module).read_text(encoding="utf-8"))
    assert not leftovers, f"wrap these with N_() / Msg.gettext(): {leftovers}"


def test_the_scan_catches_an_unwrapped_sentence():
    source = 'def f():\n    "Doc string here."\n    raise ValueError("for developers")\n    return "You cannot go"\n'
    assert unwrapped_sentences(source) == ["You cannot go"]
    assert unwrapped_sentences('x = f"The {clock} started"') == ["f'The {clock} started'"]
    assert unwrapped_sentences('x = Msg.gettext("Fine %(x)s", x=N_("also fine"))') == []


EASTER = [Event("submit", date(2026, 3, 20)), Event("lodge_quota", date(2026, 3, 20))]


def _quota_lines(app, locale: str, calendar: HKCalendar) -> list[str]:
    clock = compute_clocks(EASTER, today=date(2026, 4, 8), calendar=calendar)["quota"]
    with app.test_request_context(), force_locale(locale):
        return clock.explanation_lines(translator())


def test_explanation_in_chinese_names_the_holidays_officially(app):
    lines = _quota_lines(app, "zh_Hant_HK", HKCalendar())
    text = "\n".join(lines)
    assert lines[0] == "創新科技署配額時限於2026年3月20日星期五開始計算，當日配額申請已向創新科技署遞交。"
    assert "期限不能在2026年4月3日星期五（耶穌受難節）屆滿，因此順延至下一日。" in text
    assert "（耶穌受難節翌日）" in text and "（星期日）" in text and "（復活節星期一翌日）" in text
    assert "到期日為2026年4月8日星期三。" in text
    assert not [line for line in lines if any("a" <= c.lower() <= "z" for c in line)]


def test_explanation_in_english_is_unchanged(app):
    lines = _quota_lines(app, "en", HKCalendar())
    assert lines[0] == (
        "The ITC quota clock started on Friday 20 March 2026, when the quota application was lodged with the ITC."
    )
    assert lines == compute_clocks(EASTER, today=date(2026, 4, 8), calendar=HKCalendar())["quota"].explanation_lines()


def test_closure_reasons_are_translated_with_their_note(app):
    calendar = HKCalendar({date(2026, 4, 8): closure_reason(CLOSURE_KINDS["typhoon8"], "Typhoon signal No. 8 (demo)")})
    text = "\n".join(_quota_lines(app, "zh_Hant_HK", calendar))
    # The kind and the admin's note side by side, not brackets nested in brackets.
    assert "2026年4月8日星期三（八號或以上颱風信號 — Typhoon signal No. 8 (demo)）" in text


def test_every_closure_kind_has_a_chinese_reason(app):
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        for reason in CLOSURE_KINDS.values():
            assert gettext(reason) != reason


def test_workflow_refusals_are_translated(app):
    paused = workflow.CaseState(workflow.REVIEW, paused_party="expert")
    with pytest.raises(workflow.TransitionError) as caught:
        workflow.apply(paused, "submit", role="hr")
    assert caught.value.message == (
        "You cannot submit the case while the case is waiting for information from the expert."
    )
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        assert caught.value.text.render(translator()) == "個案正等候專才提供資料，你現在不能提交個案。"
    with pytest.raises(workflow.TransitionError) as caught:
        workflow.apply(workflow.CaseState(), "accept", role="hr")
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        assert caught.value.text.render(translator()) == "公司人力資源人員不能接納個案。"


def test_a_refusal_shown_on_the_case_page_is_chinese(client, auth, people):
    from tests.portal import make_case

    case = make_case(people)
    auth.as_user(people["officer"])
    client.get("/lang/zh_Hant_HK")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "草稿" in page
    response = client.post(f"/cases/{case.id}/actions", data={"action": "accept"}, follow_redirects=True)
    assert "個案仍是草稿，你現在不能接納個案。" in response.get_data(as_text=True)


def test_dates_and_money_in_lazy_sentences_follow_the_reader(app):
    from flask_babel import lazy_gettext

    from talentcase.common.i18n import LocalDay, LocalHKD

    sentence = lazy_gettext(
        "The monthly salary %(salary)s is at or above the market rate of %(floor)s.",
        salary=LocalHKD(58000),
        floor=LocalHKD(25000),
    )
    with app.test_request_context():
        with force_locale("en"):
            assert str(LocalDay(date(2027, 5, 31))) == "31 May 2027"
            assert "HK$58,000" in str(sentence)
        with force_locale("zh_Hant_HK"):
            assert str(LocalDay(date(2027, 5, 31))) == "2027年5月31日"
            assert "HK$58,000" in str(sentence) and "市場" in str(sentence)
