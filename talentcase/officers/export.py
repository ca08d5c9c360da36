"""CSV export of exactly the filtered all-cases list, streamed in chunks so a large export holds little memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from sqlalchemy import Engine, select

from talentcase.accounts.models import Company
from talentcase.cases.models import Case
from talentcase.extensions import db
from talentcase.officers.filters import CaseFilters, filtered, next_due_on, ordered

COLUMNS = (
    "reference",
    "candidate",
    "nationality",
    "passport_number",
    "company",
    "park",
    "position",
    "tech_area",
    "status",
    "waiting_on_party_asked",
    "opened_on",
    "submitted_on",
    "next_due_on",
)
CHUNK_ROWS = 1000
# A cell that a spreadsheet would read as a formula is prefixed with a quote (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_statement(filters: CaseFilters, today: date):
    """The SELECT behind the export: the list's own filters and sort, one row per case."""
    stmt = select(
        Case.reference,
        Case.full_name,
        Case.nationality,
        Case.passport_number,
        Company.name,
        Company.park,
        Case.position_title,
        Case.tech_area,
        Case.status,
        Case.paused_party,
        Case.opened_on,
        Case.submitted_on,
        next_due_on(),
    ).join(Company, Company.id == Case.company_id)
    return ordered(filtered(stmt, filters, today), filters)


# Excel opens a CSV file as UTF-8 only when it starts with the byte order mark; without it "Léa" and "陳" come out
# garbled. Other readers skip it (Python's "utf-8-sig", pandas, LibreOffice).
BYTE_ORDER_MARK = "\ufeff"


def csv_chunks(filters: CaseFilters, today: date, engine: Engine | None = None) -> Iterator[str]:
    """The CSV text, header first, in chunks of CHUNK_ROWS rows.

    The rows stream over a connection of their own, taken from the engine when the first chunk is asked for: the
    generator runs after the view has returned, and needs neither the request's context nor its session.
    """
    engine = engine or db.engine
    stmt = export_statement(filters, today)

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write(BYTE_ORDER_MARK)
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        with engine.connect() as connection:
            result = connection.execution_options(yield_per=CHUNK_ROWS).execute(stmt)
            for partition in result.partitions():
                for row in partition:
                    writer.writerow([_cell(value) for value in row])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return generate()
