"""Lists on a phone (390×844) are stacked cards: each row's status and deadline come first and lie inside the screen
without any sideways scrolling, each value with its label; the documents page's dependants table passes axe's
scrollable-region-focusable rule."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.helpers import AXE, LiveServer, Staff, png_bytes, quota_clock_at_risk, seed_case, sign_in

PHONE_390 = {"width": 390, "height": 844}
LONG_TITLE = ("Principalmachinelearningresearchengineer" * 4)[:140]

# The row's cells as the phone shows them: the box of each, its label (the ::before text) and whether the table's
# wrapper must be scrolled sideways to see it.
_ROW = """(row) => {
  const wrap = row.closest('.table-wrap');
  return {
    scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false,
    cells: [...row.cells].map(cell => {
      const box = cell.getBoundingClientRect();
      const label = getComputedStyle(cell, '::before').content;
      return {text: cell.innerText.trim().slice(0, 40), left: box.left, right: box.right, top: box.top, label};
    }),
  };
}"""


def phone(new_page) -> Page:
    return new_page(viewport=PHONE_390, is_mobile=True, has_touch=True)


def row_of(page: Page, reference: str) -> dict:
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=reference, exact=True)).first
    expect(row).to_be_visible()
    return row.evaluate(_ROW)


def assert_card(row: dict, first: tuple[str, ...], what: str) -> None:
    """Every cell inside the screen, no sideways scrolling, every cell labelled, the `first` labels on top."""
    assert not row["scrolls"], f"{what}: the table scrolls sideways on a phone"
    for cell in row["cells"]:
        assert cell["left"] >= 0 and cell["right"] <= PHONE_390["width"], f"{what}: a cell is off-screen: {cell}"
        assert cell["label"] not in ("none", "normal", ""), f"{what}: a cell has no label: {cell}"
    by_top = sorted(row["cells"], key=lambda cell: cell["top"])
    labels = [cell["label"].strip('"') for cell in by_top]
    assert tuple(labels[: len(first)]) == first, f"{what}: the card starts with {labels}, not {first}"


def test_hr_list_rows_are_cards_with_status_and_deadline_first(new_page, live_server: LiveServer, staff: Staff) -> None:
    case = quota_clock_at_risk(live_server, staff, position_title=LONG_TITLE)
    page = phone(new_page)
    sign_in(page, staff.hr_email)
    page.goto("/cases/")
    assert_card(row_of(page, case.reference), ("Status", "Clocks"), "HR's case list")
    # The filters (the "Waiting on" choice has a long option) fit too: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


def test_officer_lists_rows_are_cards_with_status_and_deadline_first(
    new_page, live_server: LiveServer, staff: Staff
) -> None:
    case = quota_clock_at_risk(live_server, staff, position_title=LONG_TITLE)
    page = phone(new_page)
    sign_in(page, staff.officer_email)
    page.goto(f"/officers/cases?q={case.reference}")
    assert_card(row_of(page, case.reference), ("State", "Clocks"), "the officers' case list")
    page.goto("/officers/")
    assert_card(row_of(page, case.reference), ("Due", "Time left"), "the console's at-risk list")


def test_documents_page_on_a_phone_has_no_unreachable_scrolling_region(
    new_page, live_server: LiveServer, staff: Staff
) -> None:
    from talentcase.accounts.models import User
    from talentcase.cases.models import Case
    from talentcase.documents import services as documents

    case = seed_case(live_server, staff, full_name="Rachel Lim Jia Hui")
    with live_server.data() as session:
        spouse = documents.add_dependant(session.get(Case, case.id), "spouse", "Tan Wei Jie Daniel", None)
        # A dependant with documents cannot be removed: the row then holds nothing the keyboard can reach.
        documents.upload(
            session.get(Case, case.id),
            "dependant_photo",
            png_bytes(),
            "daniel.png",
            dependant_id=spouse.id,
            uploader=session.get(User, staff.hr_id),
        )
    page = phone(new_page)
    sign_in(page, staff.hr_email)
    page.goto(f"/cases/{case.id}/documents")
    expect(page.locator("#dependants table")).to_be_visible()
    violations = [v for v in AXE.run(page).response["violations"] if v["id"] == "scrollable-region-focusable"]
    assert not violations, [node["html"][:160] for violation in violations for node in violation["nodes"]]
