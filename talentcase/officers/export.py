"""CSV export of exactly the filtered all-cases list, streamed in chunks so a large export holds little memory.

Written for a person opening it in Excel: a header and codes in words in the officer's language, each clock's state
today and due date, dates as ISO `YYYY-MM-DD` (which Excel reads as dates).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, Row, Select, select

from talentcase.accounts.models import PARKS, Company
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.cases.policy import park_name
from talentcase.cases.queries import shown_state
from talentcase.extensions import db
from talentcase.officers.filters import CaseFilters, filtered, next_due_on, ordered, owner_label
from talentcase.sla.models import CaseClock

CLOCKS = ("review", "quota", "visa", "overall")
# A started clock's (state today, due date).
ClockCells = tuple[str, date]
CHUNK_ROWS = 1000
# A cell that a spreadsheet would read as a formula is prefixed with a quote (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Words:
    """The export's header and the words for its codes, in one language: resolved during the request, because the
    rows are written after the view has returned, where there is no request and no Flask-Babel locale."""

    header: tuple[str, ...]
    statuses: Mapping[str, str]
    tech_areas: Mapping[str, str]
    parks: Mapping[str, str]
    parties: Mapping[str, str]
    states: Mapping[str, str]
    countries: Mapping[str, str]


def words_for_request(labels: SimpleNamespace) -> Words:
    """The export's words in the current request's language, from the list page's label dictionaries."""
    clock_names = [labels.CLOCK_NAMES[name] for name in CLOCKS]
    header = (
        _("Reference"),
        _("Full name in English"),
        _("Name in Chinese"),
        _("Nationality"),
        _("Passport number"),
        _("Company"),
        _("Park"),
        _("Job title"),
        _("Technology area"),
        _("State"),
        _("Waiting on"),
        _("Owner"),
        _("Opened on"),
        _("Submitted on"),
        _("Next due date"),
        *[
            text
            for clock in clock_names
            for text in (_("%(clock)s: state", clock=clock), _("%(clock)s: due date", clock=clock))
        ],
    )
    return Words(
        header=header,
        statuses=labels.STATUS_NAMES,
        tech_areas=labels.TECH_AREAS,
        parks={code: park_name(code) for code in PARKS},
        parties=labels.PARTY_NAMES,
        states={**labels.STATE_NAMES, "stopped": _("Stopped")},
        # As the case page names a nationality (common.i18n.country_name): the locale's name of the territory.
        countries=dict(get_locale().territories),
    )


def _cell(value) -> str:
    if value.__class__ is str:  # most cells: tested first, as the export calls this for every cell of every row
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_statement(filters: CaseFilters, today: date) -> Select:
    """The SELECT behind the export: the list's own filters and sort, one row per case."""
    stmt = select(
        Case.id,
        Case.reference,
        Case.full_name,
        Case.chinese_name,
        Case.nationality,
        Case.passport_number,
        Company.name,
        Company.park,
        Case.position_title,
        Case.tech_area,
        Case.status,
        Case.paused_party,
        owner_label(),
        Case.opened_on,
        Case.submitted_on,
        next_due_on(),
    ).join(Company, Company.id == Case.company_id)
    return ordered(filtered(stmt, filters, today), filters)


def waiting_on(status: str, paused_party: str | None) -> str | None:
    """Whom a case waits on now, as the console's home counts it: the party asked while paused, else the owner of
    its stage (the park officer in review, the company preparing, the authority deciding); None before submission
    and once decided."""
    return paused_party or workflow.STAGE_OWNER.get(status)


def clock_cells(connection: Connection, case_ids: Sequence[int], today: date) -> dict[int, dict[str, ClockCells]]:
    """Each case's started clocks as {name: (state today, due date)}, in one query for a chunk of cases (a case
    with no clock started is left out)."""
    clocks: dict[int, dict[str, ClockCells]] = {}
    if case_ids:
        rows = connection.execute(
            select(CaseClock.case_id, CaseClock.name, shown_state(today), CaseClock.due_on).where(
                CaseClock.case_id.in_(case_ids)
            )
        )
        for case_id, name, state, due_on in rows:
            clocks.setdefault(case_id, {})[name] = (state, due_on)
    return clocks


def _row(case: Row, clocks: Mapping[int, Mapping[str, ClockCells]], words: Words) -> list[str]:
    """One case as the officer reads it: codes in words, a clock not yet started as two empty cells."""
    # Unpacked rather than read by name: a Row's attribute lookup is several times slower, 15 times a row.
    (
        case_id,
        reference,
        full_name,
        chinese_name,
        nationality,
        passport_number,
        company,
        park,
        position_title,
        tech_area,
        status,
        paused_party,
        owner,
        opened_on,
        submitted_on,
        next_due,
    ) = case
    cells = [
        reference,
        full_name,
        chinese_name,
        words.countries.get(nationality.upper(), nationality),
        passport_number,
        company,
        words.parks.get(park, park),
        position_title,
        words.tech_areas.get(tech_area, tech_area),
        words.statuses.get(status, status),
        words.parties.get(waiting_on(status, paused_party), ""),
        owner,
        opened_on,
        submitted_on,
        next_due,
    ]
    started = clocks.get(case_id, {})
    for name in CLOCKS:
        state, due_on = started.get(name, (None, None))
        cells += [words.states.get(state, state), due_on]
    return [_cell(value) for value in cells]


# Excel opens a CSV file as UTF-8 only when it starts with the byte order mark; without it "Léa" and "陳" come out
# garbled. Other readers skip it (Python's "utf-8-sig", pandas, LibreOffice).
BYTE_ORDER_MARK = "\ufeff"


def csv_chunks(filters: CaseFilters, today: date, words: Words, engine: Engine | None = None) -> Iterator[str]:
    """The CSV text, header first, in chunks of CHUNK_ROWS rows.

    The rows stream over a connection of their own, taken from the engine when the first chunk is asked for: the
    generator runs after the view has returned, and needs neither the request's context nor its session. The clock
    columns of a chunk come in one more query over that connection, so the statements follow the chunks, not the
    cases.
    """
    engine = engine or db.engine
    stmt = export_statement(filters, today)

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write(BYTE_ORDER_MARK)
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(words.header)
        with engine.connect() as connection:
            result = connection.execution_options(yield_per=CHUNK_ROWS).execute(stmt)
            for partition in result.partitions():
                clocks = clock_cells(connection, [case.id for case in partition], today)
                writer.writerows(_row(case, clocks, words) for case in partition)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return generate()
