"""Spreadsheet import, reading and parsing part: a 100,000-row XLSX and a 1,000,000-row CSV
of realistic opportunity rows (mixed amount and date spellings), read with read_sheet and
every column parsed with the value parsers.

Usage: python benchmarks/bench_read.py [--xlsx-rows 100000] [--csv-rows 1000000] [--only csv|xlsx]
Each file is measured in a fresh child process so the peak memory (ru_maxrss: the process's
peak resident set, everything included: Python, pandas, pyarrow, calamine) belongs to it
alone. Prints figures; asserts nothing. Targets for the whole import: 100k XLSX < 15 s,
1M CSV < 60 s, peak < 2 GB.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesboard.importing import (  # noqa: E402
    normalize_text_column,
    parse_amount_column,
    parse_date_column,
    parse_percent_column,
    read_sheet,
)

STAGES = ["线索获取", "需求分析", "方案制定", "商务谈判", "合同签订", "售后交付"]
OWNERS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "Alex Smith"]
HEADER = ["商机编号", "客户", "阶段", "负责人", "金额", "计划日期", "实际日期", "赢率"]
PARSERS = {
    "商机编号": normalize_text_column,
    "客户": normalize_text_column,
    "阶段": normalize_text_column,
    "负责人": normalize_text_column,
    "金额": parse_amount_column,
    "计划日期": parse_date_column,
    "实际日期": parse_date_column,
    "赢率": parse_percent_column,
}


def opportunity_rows(count: int, *, workbook: bool):
    """Rows like a real export: amounts as 85万 / ¥850,000 / plain, dates in mixed styles
    (date cells and serials in the workbook), percentages with and without %."""
    rng = random.Random(42)
    for i in range(count):
        yuan = rng.randrange(1, 5000) * 1000
        amount = rng.choice(
            [f"{yuan / 10000:g}万", f"¥{yuan:,}", str(yuan), yuan if workbook else f"{yuan}.00"]
        )
        day = 45292 + rng.randrange(730)  # 2024-01-01 + up to two years, as a serial
        y, m, d = _ymd(day)
        planned = rng.choice(
            [f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}年{m}月{d}日", day if workbook else f"{y}{m:02d}{d:02d}"]
        )  # fmt: skip
        actual = "" if rng.random() < 0.3 else f"{y}-{m:02d}-{d:02d}"
        chance = rng.choice([f"{rng.randrange(0, 101)}%", f"{rng.random():.2f}"])
        yield [
            f"XS{2024 + i // 500000}{(i // 10000) % 12 + 1:02d}{i:06d}",
            f"客户{rng.randrange(20000)}有限公司",
            rng.choice(STAGES),
            rng.choice(OWNERS),
            amount,
            planned,
            actual,
            chance,
        ]


def _ymd(serial: int) -> tuple[int, int, int]:
    from datetime import date, timedelta

    day = date(1899, 12, 30) + timedelta(days=serial)
    return day.year, day.month, day.day


def make_csv(rows: int) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["销售过程跟踪表"])
    writer.writerow(HEADER)
    writer.writerows(opportunity_rows(rows, workbook=False))
    return buffer.getvalue().encode("utf-8-sig")


def make_xlsx(rows: int) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("商机")
    sheet.write_row(0, 0, ["销售过程跟踪表"])
    sheet.write_row(2, 0, HEADER)
    for r, row in enumerate(opportunity_rows(rows, workbook=True), start=3):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def measure(kind: str, rows: int) -> None:
    started = time.perf_counter()
    data = make_csv(rows) if kind == "csv" else make_xlsx(rows)
    made = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    table = read_sheet(data, f"bench.{kind}", max_bytes=500 * 1024 * 1024)
    read = time.perf_counter() - started
    timings = {}
    failed = 0
    for column, parse in PARSERS.items():
        started = time.perf_counter()
        parsed = parse(table.frame[column])
        timings[column] = time.perf_counter() - started
        failed += int(parsed.failed.sum())
    parse_total = sum(timings.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{kind}: {len(table.frame):,} rows, {len(data) / 1e6:.1f} MB file (generated in {made:.1f} s)"
    )
    print(f"  read_sheet        {read:6.2f} s   (header row {table.header_row}, {table.encoding})")
    for column, seconds in timings.items():
        print(f"  parse {column:<10}  {seconds:6.2f} s")
    print(f"  parse all columns {parse_total:6.2f} s   ({failed} failed cells)")
    print(f"  read + parse      {read + parse_total:6.2f} s")
    print(f"  peak RSS {peak:,.0f} MB (process, ru_maxrss; {rss_before:,.0f} MB after generating)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("csv", "xlsx"))
    parser.add_argument("--child", choices=("csv", "xlsx"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child, args.csv_rows if args.child == "csv" else args.xlsx_rows)
        return
    for kind in ("xlsx", "csv"):
        if args.only in (None, kind):
            subprocess.run(
                [sys.executable, __file__, "--child", kind, "--xlsx-rows", str(args.xlsx_rows),
                 "--csv-rows", str(args.csv_rows)],
                check=True,
            )  # fmt: skip


if __name__ == "__main__":
    main()
