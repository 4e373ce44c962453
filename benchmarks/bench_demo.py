"""Time the demo generator into fresh temporary SQLite files.

Usage: python benchmarks/bench_demo.py [size ...]   (default: "default" and "large")
Prints seconds, row counts and the database file size per size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salesboard import demo  # noqa: E402
from salesboard.store import schema
from salesboard.store.db import create_store_engine  # noqa: E402

TODAY = date(2026, 5, 15)


def bench(size: str) -> None:
    """Generate ``size`` into a new SQLite file and print what it took."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"demo-{size}.db"
        engine = create_store_engine(f"sqlite:///{path}")
        started = time.perf_counter()
        schema.upgrade(engine)
        migrated = time.perf_counter() - started
        summary = demo.generate(engine, size=size, seed=42, today=TODAY)
        engine.dispose()  # closes the connections, which checkpoints the WAL into the file
        files = [path, path.with_name(path.name + "-wal")]
        mib = sum(f.stat().st_size for f in files if f.exists()) / 2**20
        print(
            f"== {size}: generate {summary.seconds:.1f} s (migrate {migrated:.1f} s), {mib:.0f} MiB"
        )
        for table in (
            "users", "customers", "opportunities", "stage_history", "key_actions", "visits",
            "collections", "goals",
        ):  # fmt: skip
            print(f"   {table:<14} {getattr(summary, table):>10,}")
        print(f"   {'total rows':<14} {summary.rows:>10,}")
        rate = summary.rows / summary.seconds
        print(f"   {rate:,.0f} rows/s; misaligned goal id {summary.misaligned_goal_id}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["default", "large"]:
        bench(name)
