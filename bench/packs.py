"""Pack rendering against the WeasyPrint floor, the cached repeat, and 1 vs 2 workers.

    .venv/bin/python bench/packs.py [--write BENCHMARKS.md]

Everything runs in one process run on this machine, so the ratios compare like with like: the floor is WeasyPrint
rendering the same number of plain HTML pages as the pack has; the pack adds the cover, index, charts, merging,
page numbers and storage. Loopback only: a private redis-server on a free port for the worker runs.
"""

from __future__ import annotations

import argparse
import io
import os
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

from config import DevelopmentConfig  # noqa: E402


def pdf_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def floor_seconds(pages: int) -> float:
    from weasyprint import HTML

    html = "".join(
        f"<section style='page-break-after: always'><h1>Page {n}</h1><p>{'Plain text. ' * 40}</p></section>"
        for n in range(pages)
    )
    start = time.perf_counter()
    HTML(string=f"<html><body style='font-family: Noto Sans CJK TC'>{html}</body></html>").write_pdf()
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", help="append the results to this Markdown file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

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
            times, floors, total_pages = [], [], 0
            for _ in range(args.repeat):
                case = case_with(uploaded)
                request = packs.request_pack(case, draft=True)
                db.session.commit()
                start = time.perf_counter()
                render_pack(request.pack.id)
                times.append(time.perf_counter() - start)
                db.session.expire_all()
                total_pages = db.session.get(Pack, request.pack.id).page_count
                floors.append(floor_seconds(total_pages))
            db.session.expire_all()
            start = time.perf_counter()
            again = packs.request_pack(case, draft=True)
            cached = time.perf_counter() - start
            assert again.cached, (again.pack.id, request.pack.id, again.pack.status)
            pack_s, floor_s = statistics.median(times), statistics.median(floors)
            rows.append((uploaded, total_pages, pack_s, floor_s, cached))

        # Throughput: 8 packs of 10 uploaded pages with one worker process, then with two (each worker process
        # pays its start-up once, as a real worker does once per deployment; 8 packs keep that share small).
        throughput = {}
        for workers in (1, 2):
            for _ in range(8):
                request = packs.request_pack(case_with(10), draft=True)
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
            throughput[workers] = 8 / (time.perf_counter() - start)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    redis.terminate()
    shutil.rmtree(workdir, ignore_errors=True)

    lines = [
        "",
        "## Packs: render time against the WeasyPrint floor, cached repeat, workers (bench/packs.py)",
        "",
        f"Command: `.venv/bin/python bench/packs.py --write BENCHMARKS.md` (median of {args.repeat} renders; "
        "2-core machine shared with other work). The floor is WeasyPrint alone rendering plain HTML pages, "
        "as many as the pack has.",
        "",
        "| uploaded pages | pack pages | pack render | floor | pack / floor | cached repeat | cached / render |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for uploaded, pages, pack_s, floor_s, cached in rows:
        lines.append(
            f"| {uploaded} | {pages} | {pack_s:.2f} s | {floor_s:.2f} s | {pack_s / floor_s:.2f}× | "
            f"{cached * 1000:.1f} ms | {cached / pack_s * 100:.2f} % |"
        )
    lines += [
        "",
        f"Throughput, 8 packs of 10 uploaded pages: one worker {throughput[1]:.2f} packs/s, two workers "
        f"{throughput[2]:.2f} packs/s ({throughput[2] / throughput[1]:.2f}× one). Peak worker memory (largest child "
        f"process RSS): {peak_mb:.0f} MB.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
