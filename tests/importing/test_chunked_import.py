"""A long file of deals is validated and written in chunks (``service.CHUNK_ROWS``; three
rows here): the report names the file's own row numbers for bad rows in later chunks, a key
repeated chunks apart flags both copies, the result matches a validation of the whole file,
a file that must be clean writes nothing, and undo removes every chunk's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.accounts.access import SYSTEM
from salesboard.importing.service import dry_run, file_sha256, prepare, read_upload, run_import
from salesboard.importing.undo import undo_last_import
from salesboard.store.db import read_session, write_session
from salesboard.store.models import ImportBatch, Opportunity, OpportunityEvent, StageHistory
from tests.companies.importing import seed
from tests.importing.helpers import FIRST_DATA_ROW, snapshot, workbook

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
CHUNK = 3


def deal(n: int, stage: str = "方案制定") -> list[object]:
    return [f"XS2099010{n:02d}", "某科技有限公司", stage, "zhang.wei", f"{n}0万", "云服务"]


# Ten rows, chunks of three: an unknown stage in the second chunk (file row 8) and the
# first deal's code again in the fourth (file row 13).
ROWS = [deal(n) for n in range(1, 11)]
ROWS[4] = deal(5, stage="不存在的阶段")
ROWS[9] = deal(1)
BAD = {FIRST_DATA_ROW + 4: "unknown_stage", FIRST_DATA_ROW: "duplicate_key",
       FIRST_DATA_ROW + 9: "duplicate_key"}  # fmt: skip


@pytest.fixture
def company(engine):
    return seed(engine)


def _import(engine, rows, **options):
    data = workbook([HEADER, *rows])
    table = read_upload(data, "商机.xlsx")
    with read_session(engine) as s:
        prepared = prepare(s, table, SYSTEM, "opportunities")
    return run_import(engine, table, prepared.kind, prepared.mapping, SYSTEM, chunk_rows=CHUNK,
                      file_name="商机.xlsx", file_hash=file_sha256(data), **options)  # fmt: skip


def _whole(engine, rows):
    table = read_upload(workbook([HEADER, *rows]), "商机.xlsx")
    with read_session(engine) as s:
        prepared = prepare(s, table, SYSTEM, "opportunities")
    return dry_run(engine, table, prepared.kind, prepared.mapping, SYSTEM)


def _codes(engine) -> list[str]:
    with read_session(engine) as s:
        return sorted(
            s.execute(select(Opportunity.code).where(Opportunity.code.like("XS2099%"))).scalars()
        )


def test_bad_rows_in_later_chunks_keep_their_file_row_numbers(engine, company):
    whole = _whole(engine, ROWS)  # validated in one piece, before anything is written
    validation, result = _import(engine, ROWS)
    found = {
        int(r): c
        for r, c in zip(validation.problems["row"], validation.problems["code"], strict=True)
    }
    assert found == BAD
    duplicate = validation.problems.set_index("row").loc[FIRST_DATA_ROW + 9, "params"]
    assert duplicate == {"rows": str(FIRST_DATA_ROW)}  # the copy three chunks earlier
    # The same report and plan as a validation of the whole file.
    assert validation.problems.to_dict("records") == whole.problems.to_dict("records")
    assert list(validation.action) == list(whole.action)
    assert (result.inserted, result.failed) == (7, 3)
    assert _codes(engine) == sorted(f"XS2099010{n:02d}" for n in (2, 3, 4, 6, 7, 8, 9))
    with read_session(engine) as s:
        batch = s.get(ImportBatch, result.batch_id)
        assert (batch.rows_total, batch.inserted, batch.failed) == (10, 7, 3)
        ids = (
            s.execute(select(Opportunity.id).where(Opportunity.code.like("XS2099%")))
            .scalars()
            .all()
        )
        stays = s.execute(select(StageHistory).where(StageHistory.opportunity_id.in_(ids))).all()
        events = s.execute(
            select(OpportunityEvent).where(OpportunityEvent.opportunity_id.in_(ids))
        ).all()
        assert (len(stays), len(events)) == (7, 7)


@pytest.mark.parametrize("bad", [4, 9])  # the second chunk, the last one
def test_a_bad_row_in_a_later_chunk_writes_nothing_when_the_file_must_be_clean(
    engine, company, bad
):
    before = snapshot(engine)
    rows = [deal(n) for n in range(1, 11)]
    rows[bad] = deal(bad + 1, stage="不存在的阶段")
    validation, result = _import(engine, rows, skip_invalid=False)
    assert result is None
    assert list(zip(validation.problems["row"], validation.problems["code"], strict=True)) == [
        (FIRST_DATA_ROW + bad, "unknown_stage")
    ]
    assert validation.counts()["failed"] == 1
    assert snapshot(engine) == before  # the chunks written before it are rolled back


def test_undo_removes_every_chunk_of_the_import(engine, company):
    before = snapshot(engine)
    _, result = _import(engine, [deal(n) for n in range(1, 8)])
    assert result.inserted == 7 and len(_codes(engine)) == 7
    with write_session(engine) as s:
        undo_last_import(s, SYSTEM, result.batch_id)
    after = snapshot(engine)
    for table in ("opportunity", "stage_history", "opportunity_event", "customer"):
        assert after[table] == before[table]
