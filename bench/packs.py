"""Pack rendering against the WeasyPrint floor, the cached repeat, and 1 vs 2 workers.

    .venv/bin/python bench/packs.py [--write BENCHMARKS.md] [--repeat 3] [--packs 12] [--profile]

Everything runs in one process run on this machine, so the ratios compare like with like: the floor is WeasyPrint
rendering the same number of plain HTML pages as the pack has, tagged (PDF/UA-1) as the pack is; the pack adds the
cover letter, particulars, declaration, index, captions and bookmarks, laying the uploaded pages under their
numbered pages, and storage. The target compares with the "full pages" floor: pages as full of text as the front
matter. The uploaded PDFs carry a line of text per page so that laying them under costs what a real page costs
pypdf. Throughput: the same packs rendered by one `worker.py` process, then by two at once (each takes different
packs off the queue). Loopback only: a private redis-server on a free port for the worker runs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfWriter  # noqa: E402
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject  # noqa: E402

from config import DevelopmentConfig  # noqa: E402


def pdf_pages(count: int) -> bytes:
    """A US-letter PDF (so that it is scaled onto A4) with a line of Helvetica text on each page."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(1, count + 1):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td (Uploaded page {number}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def floor_seconds(pages: int, *, sentences: int = 40) -> float:
    """WeasyPrint alone rendering `pages` plain HTML pages: a heading and a paragraph of `sentences` short sentences
    each (40: a short page, the floor the target is judged by; 180: a page about as full of text as the pack's
    front-matter pages, reported beside it)."""
    from weasyprint import HTML

    html = "".join(
        f"<section style='page-break-after: always'><h1>Page {n}</h1><p>{'Plain text. ' * sentences}</p></section>"
        for n in range(pages)
    )
    start = time.perf_counter()
    document = HTML(string=f"<html lang='en'><body style='font-family: Noto Sans CJK TC'>{html}</body></html>").render()
    document.write_pdf(pdf_variant="pdf/ua-1")  # tagged like the pack, so that the floor pays for the same PDF
    elapsed = time.perf_counter() - start
    assert len(document.pages) == pages, (len(document.pages), pages)  # each section fits on its page
    return elapsed


FULL_PAGE_SENTENCES = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", help="append the results to this Markdown file")
    parser.add_argument("--repeat", type=int, default=3, help="renders per size; the median is reported")
    parser.add_argument("--packs", type=int, default=12, help="packs of 10 uploaded pages for the worker runs")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one 10-page pack render")
    args = parser.parse_args()
    load_before = os.getloadavg()

    workdir = Path(tempfile.mkdtemp(prefix="tc-bench-packs-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(DATABASE_URL=db_url, REDIS_URL=redis_url, TALENTCASE_STORAGE=str(workdir / "storage"))

    from talentcase import create_app
    from talentcase.accounts import services as accounts
    from talentcase.cases import services as cases
    from talentcase.documents import services as documents
    from talentcase.extensions import db
    from talentcase.jobs import services as jobs
    from talentcase.jobs.models import JobRecord
    from talentcase.packs import services as packs
    from talentcase.packs.models import Pack
    from talentcase.packs.tasks import render_pack

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = db_url
        REDIS_URL = redis_url
        STORAGE_DIR = str(workdir / "storage")

    app = create_app(BenchConfig)
    values = {
        "full_name": "Alice Chan",
        "chinese_name": "陳愛麗",
        "nationality": "GB",
        "email": "a@example.com",
        "degree_level": "master",
        "university": "Imperial College London",
        "years_experience": "2",
        "position_title": "ML Engineer",
        "tech_area": "artificial_intelligence",
        "monthly_salary_hkd": "60000",
        # The company's declarations, which must all be answered before a case is submitted.
        "is_stem_degree": True,
        "is_top100_university": True,
        "is_full_time": True,
        "is_principally_rd": True,
        "local_hire_confirmed": True,
    }
    rows = []
    with app.app_context():
        db.create_all()
        company = accounts.create_company("Bench Limited", br_expiry_on=None)
        company.br_expiry_on = __import__("datetime").date(2030, 1, 1)
        user = accounts.create_user("hr@bench.example", role="hr", password="bench-password-1", company=company)

        def case_with(pages: int):
            case = cases.open_case(company, values, creator=user)
            cases.take_action(case, "submit", role="hr", actor=user)
            kinds = [row.item.kind for row in documents.checklist(case) if row.item.kind not in ("visa_label", "other")]
            per_doc = [pages // len(kinds)] * len(kinds)
            for index in range(pages - sum(per_doc)):
                per_doc[index] += 1
            for kind, count in zip(kinds, per_doc, strict=True):
                if count:
                    documents.upload(case, kind, pdf_pages(count), f"{kind}.pdf", uploader=user)
            db.session.commit()
            return case

        for uploaded in (1, 10, 50):
            times, floors, full_floors, total_pages = [], [], [], 0
            for _ in range(args.repeat):
                case = case_with(uploaded)
                request = packs.request_pack(case, draft=True, stage="visa")
                db.session.commit()
                start = time.perf_counter()
                render_pack(request.pack.id)
                times.append(time.perf_counter() - start)
                db.session.expire_all()
                total_pages = db.session.get(Pack, request.pack.id).page_count
                floors.append(floor_seconds(total_pages))
                full_floors.append(floor_seconds(total_pages, sentences=FULL_PAGE_SENTENCES))
            db.session.expire_all()
            start = time.perf_counter()
            again = packs.request_pack(case, draft=True, stage="visa")
            cached = time.perf_counter() - start
            assert again.cached, (again.pack.id, request.pack.id, again.pack.status)
            pack_s, floor_s = statistics.median(times), statistics.median(floors)
            rows.append((uploaded, total_pages, pack_s, floor_s, statistics.median(full_floors), cached))

        profile_text = ""
        if args.profile:
            request = packs.request_pack(case_with(10), draft=True, stage="visa")
            db.session.commit()
            profiler = cProfile.Profile()
            profiler.runcall(render_pack, request.pack.id)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            profile_text = out.getvalue()

        # Throughput: the same number of packs with one worker process, then with two at once. Each worker process
        # imports the app and WeasyPrint once before it takes jobs, as a deployed worker does once; the rate is
        # reported both over the whole run (start-up included) and over the span from the first job's start to the
        # last job's end (from the job rows).
        throughput, span_rate, cpu_rate = {}, {}, {}
        for workers in (1, 2):
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            job_ids = [packs.request_pack(case_with(10), draft=True, stage="visa").job_id for _ in range(args.packs)]
            db.session.commit()
            jobs.dispatch()
            env = {**os.environ, "TALENTCASE_ENV": "development"}
            start = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [sys.executable, "worker.py", "--burst"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(workers)
            ]
            for proc in procs:
                proc.wait()
            wall = time.perf_counter() - start
            throughput[workers] = args.packs / wall
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
            cpu_rate[workers] = (cpu / args.packs, cpu / wall)  # CPU seconds per pack, CPU seconds the workers got
            db.session.expire_all()
            records = [db.session.get(JobRecord, job_id) for job_id in job_ids]
            assert all(record.status == "finished" for record in records), [r.status for r in records]
            span = max(r.finished_at for r in records) - min(r.started_at for r in records)
            span_rate[workers] = args.packs / span.total_seconds()
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    load_after = os.getloadavg()
    redis.terminate()
    shutil.rmtree(workdir, ignore_errors=True)

    lines = [
        "",
        "## Packs: render time against the WeasyPrint floor, cached repeat, workers (bench/packs.py)",
        "",
        f"Command: `.venv/bin/python bench/packs.py --write BENCHMARKS.md` (median of {args.repeat} renders; "
        "2-core machine shared with other work; load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after). The floor is WeasyPrint alone rendering plain "
        "HTML pages (a heading and a paragraph each), as many as the pack has; the uploaded PDFs are US-letter pages "
        "with a line of text, scaled onto A4.",
        "",
        "| uploaded pages | pack pages | pack render | floor | **pack / floor** | floor, full pages | pack / that "
        "| cached repeat | cached / render |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for uploaded, pages, pack_s, floor_s, full_s, cached in rows:
        lines.append(
            f"| {uploaded} | {pages} | {pack_s:.2f} s | {floor_s:.2f} s | **{pack_s / floor_s:.2f}×** | "
            f"{full_s:.2f} s | {pack_s / full_s:.2f}× | {cached * 1000:.1f} ms | {cached / pack_s * 100:.2f} % |"
        )
    lines += [
        "",
        f"Throughput, {args.packs} packs of 10 uploaded pages, `worker.py --burst` processes: one worker "
        f"{throughput[1]:.2f} packs/s, two workers {throughput[2]:.2f} packs/s ({throughput[2] / throughput[1]:.2f}× "
        f"one) over the whole run with start-up; from first job start to last job end {span_rate[1]:.2f} vs "
        f"{span_rate[2]:.2f} packs/s ({span_rate[2] / span_rate[1]:.2f}×). CPU per pack (workers' user + system): "
        f"{cpu_rate[1][0]:.2f} s with one, {cpu_rate[2][0]:.2f} s with two; CPU the workers got per second of the "
        f"run: {cpu_rate[1][1]:.2f} with one, {cpu_rate[2][1]:.2f} with two (2.00 would be both cores). Peak worker "
        f"memory (largest child process RSS): {peak_mb:.0f} MB.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if profile_text:
        print(profile_text)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
