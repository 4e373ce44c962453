"""Validate + import of a 100,000-row XLSX and a 1,000,000-row CSV of opportunities into a
fresh store (the small demo company's people, customers and stages; no opportunities of
its own, so every row is an insert), as ``python -m salesboard import`` does it.

Usage: python benchmarks/bench_import.py [--xlsx-rows 100000] [--csv-rows 1000000]
           [--only csv|xlsx] [--url postgresql+psycopg://…]   (default: a temporary SQLite)
Each file is measured in a fresh child process so its peak memory (ru_maxrss: Python,
pandas, pyarrow, calamine, the driver) belongs to it alone. Prints figures; asserts nothing.
Targets: 100k-row XLSX < 15 s, 1M-row CSV < 60 s, peak < 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线", "创建日期", "预计成交日期",
          "风险标识"]  # fmt: skip


def fresh_store(url: str | None, tmp: Path) -> str:
    """A store with the small demo company's reference data and no opportunities."""
    from sqlalchemy import text

    from salesboard import demo
    from salesboard.store import schema
    from salesboard.store.db import create_store_engine, write_session

    url = url or f"sqlite:///{tmp / 'bench.db'}"
    engine = create_store_engine(url)
    schema.upgrade(engine)
    demo.generate(engine, size="small", seed=42, today=date(2026, 11, 23))
    with write_session(engine) as s:
        for table in _opportunity_tables():
            s.execute(text(f'DELETE FROM "{table}"'))
    engine.dispose()
    return url


def _opportunity_tables() -> list[str]:
    """The opportunity table, the import log and every table that refers to them (directly
    or not), children first: what an empty store of deals drops."""
    from sqlmodel import SQLModel

    import salesboard.store.models  # noqa: F401  (registers the tables)

    tables = SQLModel.metadata.sorted_tables
    doomed = {"opportunity", "import_batch"}
    grew = True
    while grew:
        grew = False
        for table in tables:
            if table.name not in doomed and any(
                fk.column.table.name in doomed for fk in table.foreign_keys
            ):
                doomed.add(table.name)
                grew = True
    return [t.name for t in reversed(tables) if t.name in doomed]


def reference(url: str) -> tuple[list[str], list[str], list[str], list[str]]:
    from sqlalchemy import text

    from salesboard.store.db import create_store_engine

    engine = create_store_engine(url)
    with engine.connect() as conn:
        customers = conn.execute(text("SELECT name FROM customer")).scalars().all()
        reps = (
            conn.execute(text("SELECT display_name FROM \"user\" WHERE role = 'rep'"))
            .scalars()
            .all()
        )
        stages = conn.execute(text("SELECT name_zh FROM stage WHERE kind = 'open'")).scalars().all()
        lines = conn.execute(text("SELECT name_zh FROM product_line")).scalars().all()
    engine.dispose()
    return customers, reps, stages, lines


def rows(count: int, url: str, *, workbook: bool):
    """Opportunity rows as a real export has them: 85万 / ¥850,000 / plain amounts, dates
    as text in several spellings (serials and date cells in the workbook)."""
    customers, reps, stages, lines = reference(url)
    rng = random.Random(42)
    start = date(2024, 1, 1)
    for i in range(count):
        yuan = rng.randrange(5, 3000) * 1000
        amount = rng.choice([f"{yuan / 10000:g}万", f"¥{yuan:,}", str(yuan)])
        if workbook and rng.random() < 0.3:
            amount = yuan
        day = start + timedelta(days=rng.randrange(700))
        created = rng.choice([day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                              f"{day.year}年{day.month}月{day.day}日"])  # fmt: skip
        if workbook and rng.random() < 0.3:
            created = (day - date(1899, 12, 30)).days  # an Excel serial
        close = (day + timedelta(days=rng.randrange(30, 200))).isoformat()
        yield [
            f"XS{day:%Y%m}{i:07d}", rng.choice(customers), rng.choice(stages), rng.choice(reps),
            amount, rng.choice(lines), created, close, "延迟(客户原因)" if rng.random() < 0.1 else "",
        ]  # fmt: skip


# The files are written row by row to disk and read back as the upload's bytes, so the
# peak measured is the import's own, not the generator's.


def make_csv(count: int, url: str, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["商机导入（基准测试）"])
        writer.writerow(HEADER)
        writer.writerows(rows(count, url, workbook=False))


def make_xlsx(count: int, url: str, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("商机")
    sheet.write_row(0, 0, ["商机导入（基准测试）"])
    sheet.write_row(2, 0, HEADER)
    for r, row in enumerate(rows(count, url, workbook=True), start=3):
        sheet.write_row(r, 0, row)
    book.close()


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, count: int, url: str | None) -> None:
    from salesboard.accounts.access import SYSTEM
    from salesboard.importing.readers import read_sheet
    from salesboard.importing.service import file_sha256, prepare, run_import
    from salesboard.store.db import create_store_engine, read_session

    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_store(url, Path(tmp))
        started = time.perf_counter()
        path = Path(tmp) / f"bench.{kind}"
        (make_csv if kind == "csv" else make_xlsx)(count, url, path)
        data = path.read_bytes()
        made = time.perf_counter() - started
        rss_before = _peak()
        engine = create_store_engine(url)
        t0 = time.perf_counter()
        table = read_sheet(data, f"bench.{kind}", max_bytes=500 * 1024 * 1024)
        t1 = time.perf_counter()
        peaks = [_peak()]
        with read_session(engine) as session:
            prepared = prepare(session, table, SYSTEM)
        # As ``python -m salesboard import`` does it: validate and write in one transaction
        # (a long file of deals in chunks), commit.
        validation, result = run_import(engine, table, prepared.kind, prepared.mapping, SYSTEM,
                                        file_name=f"bench.{kind}", file_hash=file_sha256(data))  # fmt: skip
        t2 = time.perf_counter()
        peak = _peak()
        engine.dispose()
    print(f"{kind}: {len(table.frame):,} rows, {len(data) / 1e6:.1f} MB file "
          f"(generated in {made:.1f} s), {engine.dialect.name}")  # fmt: skip
    print(f"  read                     {t1 - t0:6.2f} s   (header row {table.header_row})")
    print(f"  validate, write, commit  {t2 - t1:6.2f} s   ({validation.counts()['failed']} failed "
          f"rows, {result.inserted:,} inserted)")  # fmt: skip
    print(f"  total                    {t2 - t0:6.2f} s")
    print(f"  peak RSS {peak:,.0f} MB (process; {rss_before:,.0f} MB after generating the file; "
          f"{peaks[0]:,.0f} after reading)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("csv", "xlsx"))
    parser.add_argument("--url", help="an empty PostgreSQL database (default: temporary SQLite)")
    parser.add_argument("--child", choices=("csv", "xlsx"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        count = args.csv_rows if args.child == "csv" else args.xlsx_rows
        measure(args.child, count, args.url)
        return
    for kind in ("xlsx", "csv"):
        if args.only in (None, kind):
            command = [sys.executable, __file__, "--child", kind, "--xlsx-rows",
                       str(args.xlsx_rows), "--csv-rows", str(args.csv_rows)]  # fmt: skip
            if args.url:
                command += ["--url", args.url]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
