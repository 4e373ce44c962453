"""Killing the importing process (SIGKILL, no cleanup) at several moments leaves the
store either exactly as before or with the whole import: never between. SQLite's
atomic commit is what this relies on; the test shows the import does not break it (one
transaction, nothing committed early). The kill moments are fractions of a measured
uninterrupted run, so they fall into reading, validating and writing on any machine."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from salesboard.store import schema
from salesboard.store.db import create_store_engine
from salesboard.store.settings import PROJECT_ROOT
from tests.companies.importing import seed
from tests.importing import files

ROWS = 30_000


def _store_and_file(folder) -> tuple[str, str]:
    folder.mkdir()
    url = f"sqlite:///{folder / 'crash.db'}"
    engine = create_store_engine(url)
    schema.upgrade(engine)
    seed(engine)
    engine.dispose()
    rows = [["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]]
    rows += [[f"XS2099{i:06d}", "某科技有限公司", "需求分析", "zhang.wei", f"{i % 90 + 1}万", "云服务"]
             for i in range(ROWS)]  # fmt: skip
    path = folder / "deals.csv"
    path.write_bytes(files.text_table(rows, ",").encode("utf-8-sig"))
    return url, str(path)


def _start(url: str, path: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "salesboard", "--database-url", url, "import", path],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _state(url: str) -> tuple[int, int, int]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        deals = conn.execute(text("SELECT count(*) FROM opportunity WHERE code LIKE 'XS2099%'"))
        deals = deals.scalar_one()
        batches = conn.execute(text("SELECT count(*) FROM import_batch")).scalar_one()
        stays = conn.execute(text("SELECT count(*) FROM stage_history")).scalar_one()
    engine.dispose()
    return deals, batches, stays


@pytest.fixture(scope="module")
def full_run(tmp_path_factory) -> float:
    """Seconds an uninterrupted import takes here (and that it lands completely)."""
    url, path = _store_and_file(tmp_path_factory.mktemp("crash") / "full")
    started = time.perf_counter()
    assert _start(url, path).wait(timeout=600) == 0
    seconds = time.perf_counter() - started
    assert _state(url) == (ROWS, 1, 2 + ROWS)
    return seconds


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.8, 0.9, 0.97])
def test_a_killed_import_leaves_the_store_before_or_after(full_run, tmp_path, fraction):
    url, path = _store_and_file(tmp_path / "store")
    process = _start(url, path)
    time.sleep(full_run * fraction)
    process.kill()
    process.wait(timeout=30)
    deals, batches, stays = _state(url)
    assert (deals, batches) in ((0, 0), (ROWS, 1))
    assert stays == 2 + deals  # the seeded deals' stays, plus one per imported deal
