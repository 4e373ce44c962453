"""Sample spreadsheets to try the upload with, written to ``data/``:

- ``sample_opportunities.xlsx``: an opportunity list the way Chinese teams keep it (a title
  row, a 制表人 line, amounts in 万元, dates as Excel dates and as text, per-stage date
  columns), using the demo company's reps and customers plus two new customers; three rows
  are wrong on purpose (an unknown stage, an unknown person, a negative amount) so the
  report has something to show.
- ``sample_key_actions.csv``: the seed's tracking table (表1 销售过程跟踪表) in GBK, as Excel
  on Chinese Windows saves CSV, for the sample opportunities (import those first).

Usage: python -m salesboard.demo.samples [--out data]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from salesboard.demo.generator import generate
from salesboard.store import schema
from salesboard.store.db import create_store_engine
from salesboard.store.settings import PROJECT_ROOT

OPPORTUNITY_HEADER = [
    "商机编号", "客户名称", "销售阶段", "负责人", "金额（万元）", "产品线", "创建日期",
    "需求分析日期", "方案制定日期", "商务谈判日期", "预计成交日期", "风险标识", "下一步",
]  # fmt: skip
KEY_ACTION_HEADER = ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间", "实际完成时间",
                     "交付物", "客户反馈", "负责人", "风险标识"]  # fmt: skip
STAGES = ["线索获取", "需求分析", "方案制定", "商务谈判"]
ACTIONS = {
    "需求分析": ("完成客户痛点访谈并输出报告", "《需求分析报告》", "希望方案包含定制化功能"),
    "方案制定": ("提交初步方案并获客户确认", "《初步方案PPT》", "需补充竞品对比分析"),
    "商务谈判": ("提交报价并完成价格审批", "报价单", "报价偏高，需要再谈"),
}
ROWS = 40
BAD_ROWS = {7: ("销售阶段", "待定"), 19: ("负责人", "赵六"), 31: ("金额（万元）", -12)}


def demo_names() -> tuple[list[str], list[str], list[str]]:
    """(rep names, customer names, product lines) of the default demo company."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_store_engine(f"sqlite:///{Path(tmp) / 'names.db'}")
        schema.upgrade(engine)
        generate(engine, size="default", seed=42, today=date(2026, 11, 23))
        with engine.connect() as conn:
            reps = conn.execute(
                text("SELECT display_name FROM user WHERE role = 'rep' ORDER BY id")
            ).scalars().all()  # fmt: skip
            customers = conn.execute(text("SELECT name FROM customer ORDER BY id")).scalars().all()
            lines = (
                conn.execute(text("SELECT name_zh FROM product_line ORDER BY id")).scalars().all()
            )
        engine.dispose()
    return list(reps), list(customers), list(lines)


def opportunity_rows(reps: list[str], customers: list[str], lines: list[str]) -> list[dict]:
    """The sample opportunities (deterministic)."""
    rng = random.Random(7)
    rows = []
    for i in range(ROWS):
        stage = STAGES[i % len(STAGES)]
        created = date(2026, 9, 1) + timedelta(days=rng.randrange(0, 45))
        steps = [created + timedelta(days=3 + 7 * k + rng.randrange(0, 4)) for k in range(3)]
        reached = STAGES.index(stage)
        customer = (
            customers[rng.randrange(len(customers))]
            if i % 13
            else f"示例新客户{i // 13 + 1}号有限公司"
        )
        row = {
            "商机编号": f"XS2026129{i + 1:03d}",
            "客户名称": customer,
            "销售阶段": stage,
            "负责人": reps[rng.randrange(len(reps))],
            "金额（万元）": rng.choice([round(rng.uniform(5, 300), 1), f"{rng.randrange(5, 300)}万"]),
            "产品线": lines[i % len(lines)],
            "创建日期": datetime(created.year, created.month, created.day)
            if i % 2 else f"{created.year}/{created.month}/{created.day}",
            "需求分析日期": steps[0] if reached >= 1 else None,
            "方案制定日期": steps[1] if reached >= 2 else None,
            "商务谈判日期": steps[2] if reached >= 3 else None,
            "预计成交日期": created + timedelta(days=90),
            "风险标识": "延迟(客户原因)" if i % 9 == 4 else "",
            "下一步": "3日内完成初步方案框架" if stage == "需求分析" else "",
        }  # fmt: skip
        if i in BAD_ROWS:
            column, value = BAD_ROWS[i]
            row[column] = value
        rows.append(row)
    return rows


def opportunities_xlsx(rows: list[dict]) -> bytes:
    """The tracking-table layout: title, maker line, blank row, header, data."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime(2026, 11, 20, 9, 0)})
    sheet = book.add_worksheet("商机清单")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(OPPORTUNITY_HEADER) - 1, "2026年第四季度商机清单（示例）", title)
    sheet.write(1, 0, "制表人：销售运营部")
    sheet.write(1, 10, "日期：2026-11-20")
    sheet.write_row(3, 0, OPPORTUNITY_HEADER, head)
    for r, row in enumerate(rows, start=4):
        for c, column in enumerate(OPPORTUNITY_HEADER):
            value = row[column]
            if isinstance(value, date | datetime):
                moment = (
                    value
                    if isinstance(value, datetime)
                    else datetime(value.year, value.month, value.day)
                )
                sheet.write_datetime(r, c, moment, day)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(OPPORTUNITY_HEADER) - 1, 12)
    book.close()
    return buffer.getvalue()


def key_actions_csv(rows: list[dict]) -> bytes:
    """Seed table 1 for the valid sample opportunities past the lead stage, GBK-encoded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["表1：销售过程跟踪表（示例）"])
    writer.writerow(KEY_ACTION_HEADER)
    for i, row in enumerate(rows):
        stage = row["销售阶段"]
        if i in BAD_ROWS or stage not in ACTIONS:
            continue
        action, deliverable, feedback = ACTIONS[stage]
        entered = row[{"需求分析": "需求分析日期", "方案制定": "方案制定日期",
                       "商务谈判": "商务谈判日期"}[stage]]  # fmt: skip
        planned = entered + timedelta(days=5)
        done = planned + timedelta(days=(-1, 0, 3)[i % 3]) if i % 4 else None
        writer.writerow([
            row["商机编号"], row["客户名称"], stage, action, f"{planned:%Y-%m-%d}",
            f"{done.year}年{done.month}月{done.day}日" if done else "", deliverable,
            f"“{feedback}”", row["负责人"], "延迟(客户原因)" if done and done > planned else "",
        ])  # fmt: skip
    return out.getvalue().encode("gbk")


def write_samples(out: Path) -> list[Path]:
    """Write both samples into ``out``; returns their paths."""
    reps, customers, lines = demo_names()
    rows = opportunity_rows(reps, customers, lines)
    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / "sample_opportunities.xlsx"
    xlsx.write_bytes(opportunities_xlsx(rows))
    gbk = out / "sample_key_actions.csv"
    gbk.write_bytes(key_actions_csv(rows))
    return [xlsx, gbk]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(PROJECT_ROOT / "data"))
    for path in write_samples(Path(parser.parse_args().out)):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
