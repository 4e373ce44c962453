"""Writing imports on SQLite and PostgreSQL: modes, opportunity history and events, the
import log and audit entry, one transaction (a failure in the middle leaves the store
exactly as before), a concurrent change, and undo of the last import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text, update

from salesboard.accounts.access import SYSTEM
from salesboard.importing.service import dry_run, prepare, read_upload
from salesboard.importing.undo import UndoRefused, import_log, undo_last_import
from salesboard.importing.validate import ImportOptions
from salesboard.importing.write import ImportConflict, write_import
from salesboard.store.db import read_session, write_session
from salesboard.store.models import (
    AuditLog,
    Customer,
    ImportBatch,
    KeyAction,
    Opportunity,
    OpportunityEvent,
    StageHistory,
)
from tests.companies.importing import seed, viewer
from tests.importing.helpers import load, snapshot, workbook

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
NEW = ["XS209901001", "某科技有限公司", "方案制定", "zhang.wei", "85万", "云服务"]
CHANGE_O2 = ["XS202405002", "YY制造集团", "商务谈判", "wang.fang", "¥1,300,000", "智能制造"]
SAME_O1 = ["XS202405001", "某科技有限公司", "需求分析", "zhang.wei", 850000, "云服务"]
BUSINESS_IGNORED = {"audit_log", "import_batch", "import_change", "import_template"}


@pytest.fixture
def company(engine):
    return seed(engine)


def opportunity(engine, code: str) -> Opportunity | None:
    with read_session(engine) as s:
        return s.execute(select(Opportunity).where(Opportunity.code == code)).scalar_one_or_none()


def stays(engine, opp_id: int) -> list[tuple]:
    with read_session(engine) as s:
        rows = s.execute(
            select(StageHistory.stage_id, StageHistory.entered_on, StageHistory.left_on)
            .where(StageHistory.opportunity_id == opp_id)
            .order_by(StageHistory.entered_on, StageHistory.id)
        ).all()  # fmt: skip
    return [tuple(r) for r in rows]


def business(engine) -> dict[str, list]:
    """The store without logs, and opportunities without version/updated_at (undo moves
    the version on instead of back)."""
    snap = snapshot(engine)
    with read_session(engine) as s:
        opps = s.execute(select(Opportunity)).scalars().all()
        snap["opportunity"] = sorted(
            repr(sorted((k, v) for k, v in o.model_dump().items()
                        if k not in ("version", "updated_at")))
            for o in opps
        )  # fmt: skip
    return {k: v for k, v in snap.items() if k not in BUSINESS_IGNORED}


def test_insert_mode_writes_rows_history_event_log_and_audit(engine, company):
    validation, result = load(engine, "opportunities", [HEADER, NEW], name="商机.xlsx")
    assert (result.inserted, result.updated, result.failed) == (1, 0, 0)
    opp = opportunity(engine, "XS209901001")
    assert opp.amount_minor == 85_000_000  # 85万 yuan in fen
    assert opp.team_id == company["team_south"] and opp.region_id == company["region_south"]
    assert opp.status == "open" and opp.version == 1
    assert stays(engine, opp.id) == [(company["stage_proposal"], opp.stage_entered_on, None)]
    with read_session(engine) as s:
        events = s.execute(
            select(OpportunityEvent.kind, OpportunityEvent.new_value)
            .where(OpportunityEvent.opportunity_id == opp.id)
        ).all()  # fmt: skip
        assert [tuple(e) for e in events] == [("created", "proposal")]
        log = import_log(s, SYSTEM)
        audit = s.execute(select(AuditLog).where(AuditLog.action == "import")).scalars().all()
    assert log.iloc[0]["file_name"] == "商机.xlsx" and log.iloc[0]["inserted"] == 1
    assert len(log.iloc[0]["file_sha256"]) == 64 and log.iloc[0]["status"] == "done"
    assert [a.entity_id for a in audit] == [str(result.batch_id)]


def test_update_mode_updates_with_stage_move_and_skips_unchanged(engine, company):
    before = opportunity(engine, "XS202405002")
    _, result = load(engine, "opportunities", [HEADER, SAME_O1, CHANGE_O2, NEW], mode="update",
                     options=ImportOptions(today=date(2026, 11, 23)))  # fmt: skip
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    after = opportunity(engine, "XS202405002")
    assert after.amount_minor == 130_000_000 and after.version == before.version + 1
    assert after.current_stage_id == company["stage_negotiation"]
    assert after.stage_entered_on == date(2026, 11, 23)  # a stage move without a date: today
    assert stays(engine, after.id) == [
        (company["stage_proposal"], date(2024, 5, 12), date(2026, 11, 23)),
        (company["stage_negotiation"], date(2026, 11, 23), None),
    ]
    with read_session(engine) as s:
        kinds = s.execute(
            select(OpportunityEvent.kind, OpportunityEvent.old_value, OpportunityEvent.new_value)
            .where(OpportunityEvent.opportunity_id == after.id).order_by(OpportunityEvent.id)
        ).all()  # fmt: skip
    assert {tuple(k) for k in kinds} == {("stage", "proposal", "negotiation"),
                                         ("amount", "120000000", "130000000")}  # fmt: skip
    assert opportunity(engine, "XS202405001").version == 1  # unchanged row untouched


def test_skip_mode_leaves_existing_rows_alone(engine, company):
    _, result = load(engine, "opportunities", [HEADER, CHANGE_O2, NEW], mode="skip")
    assert (result.inserted, result.skipped) == (1, 1)
    assert opportunity(engine, "XS202405002").amount_minor == 120_000_000


def test_empty_cells_keep_stored_values_when_updating(engine, company):
    header = [*HEADER, "风险标识", "下一步"]
    load(engine, "opportunities", [header, [*SAME_O1, "延迟(客户原因)", "约高层"]], mode="update")
    load(engine, "opportunities", [header, [*SAME_O1, None, "改约技术交流"]], mode="update")
    opp = opportunity(engine, "XS202405001")
    assert (opp.risk_flag, opp.next_step) == ("延迟(客户原因)", "改约技术交流")


def test_stage_date_columns_become_the_stage_history(engine, company):
    header = [*HEADER, "需求分析日期", "方案制定日期", "合同签订日期", "售后交付日期", "输单阶段",
              "输单日期"]  # fmt: skip
    rows = [
        header,
        ["XS209902001", "某科技有限公司", "方案制定", "zhang.wei", "10万", "云服务",
         date(2024, 5, 1), date(2024, 5, 10), None, None, None, None],
        ["XS209902002", "某科技有限公司", "输单", "zhang.wei", "20万", "云服务",
         date(2024, 5, 1), date(2024, 5, 10), None, None, "方案制定", date(2024, 6, 1)],
        # Won = contract signed (issue 13): the day it moved on to delivery, not the day it
        # entered 合同签订 (until issue 13 this deal was won on 06-03, in 合同签订).
        ["XS209902003", "某科技有限公司", "售后交付", "zhang.wei", "30万", "云服务",
         45413, "2024/5/20", "2024年6月3日", "2024-06-20", None, None],  # serial, text dates
    ]  # fmt: skip
    _, result = load(engine, "opportunities", rows)
    assert result.inserted == 3
    open_deal, lost, won = (opportunity(engine, f"XS20990200{i}") for i in (1, 2, 3))
    na, pr, ct, dl = (
        company[f"stage_{c}"] for c in ("needs_analysis", "proposal", "contract", "delivery")
    )
    assert (open_deal.created_on, open_deal.stage_entered_on) == (
        date(2024, 5, 1),
        date(2024, 5, 10),
    )
    assert stays(engine, open_deal.id) == [(na, date(2024, 5, 1), date(2024, 5, 10)),
                                           (pr, date(2024, 5, 10), None)]  # fmt: skip
    assert (lost.status, lost.lost_stage_id, lost.lost_on) == ("lost", pr, date(2024, 6, 1))
    assert lost.current_stage_id == company["stage_lost"]
    assert stays(engine, lost.id) == [(na, date(2024, 5, 1), date(2024, 5, 10)),
                                      (pr, date(2024, 5, 10), date(2024, 6, 1))]  # fmt: skip
    assert (won.status, won.won_on, won.created_on) == ("won", date(2024, 6, 20), date(2024, 5, 1))
    assert [s[0] for s in stays(engine, won.id)] == [na, pr, ct, dl]


def test_create_missing_customers_with_the_owners_region(engine, company):
    rows = [HEADER, ["XS209903001", "全新客户有限公司", "线索获取", "wang.fang", 1000, "云服务"]]
    _, result = load(engine, "opportunities", rows, options=ImportOptions(create_missing=True))
    assert result.inserted == 1
    with read_session(engine) as s:
        customer = s.execute(
            select(Customer).where(Customer.name == "全新客户有限公司")
        ).scalar_one()
    assert customer.region_id == company["region_east"] and customer.owner_id == company["rep_b"]
    assert opportunity(engine, "XS209903001").customer_id == customer.id


def _install_failing_trigger(engine) -> None:
    """A real write error in the middle of the batch: the import log's change rows are
    written last, after customers, opportunities, history and events."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER boom BEFORE INSERT ON import_change "
                "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            ))  # fmt: skip
        else:
            conn.execute(text(
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql"
            ))  # fmt: skip
            conn.execute(text(
                "CREATE TRIGGER boom BEFORE INSERT ON import_change "
                "FOR EACH ROW EXECUTE FUNCTION boom()"
            ))  # fmt: skip


def test_a_write_error_in_the_middle_leaves_the_store_exactly_as_before(engine, company):
    before = snapshot(engine)
    _install_failing_trigger(engine)
    rows = [
        HEADER,
        NEW,
        CHANGE_O2,
        ["XS209903002", "全新客户", "线索获取", "wang.fang", 1, "云服务"],
    ]
    with pytest.raises(Exception, match="disk on fire"):
        load(engine, "opportunities", rows, mode="update",
             options=ImportOptions(create_missing=True))  # fmt: skip
    assert snapshot(engine) == before


def test_a_row_changed_after_validation_fails_the_whole_import(engine, company):
    table = read_upload(workbook([HEADER, NEW, CHANGE_O2]), "x.xlsx")
    with read_session(engine) as s:
        prepared = prepare(s, table, SYSTEM, "opportunities")
    validation = dry_run(engine, table, prepared.kind, prepared.mapping, SYSTEM, mode="update")
    with write_session(engine) as s:  # someone saves the deal meanwhile
        s.execute(update(Opportunity).where(Opportunity.code == "XS202405002")
                  .values(version=Opportunity.version + 1))  # fmt: skip
    before = snapshot(engine)
    with pytest.raises(ImportConflict), write_session(engine) as s:
        write_import(s, SYSTEM, validation, file_name="x.xlsx")
    assert snapshot(engine) == before


def test_skip_invalid_false_writes_nothing_when_a_row_is_bad(engine, company):
    before = snapshot(engine)
    validation, result = load(engine, "opportunities", [HEADER, NEW, [*NEW[:4], -1, "云服务"]],
                              skip_invalid=False)  # fmt: skip
    assert result is None and not validation.clean
    assert snapshot(engine) == before


# --- undo -------------------------------------------------------------------------------------


def test_undo_removes_inserts_and_restores_updates(engine, company):
    before = business(engine)
    header = [*HEADER, "需求分析日期", "方案制定日期"]
    rows = [header, [*NEW, date(2024, 5, 1), date(2024, 5, 9)], [*CHANGE_O2, None, None],
            ["XS209903003", "全新客户", "线索获取", "wang.fang", 1, "云服务", None, None]]  # fmt: skip
    _, result = load(engine, "opportunities", rows, mode="update",
                     options=ImportOptions(create_missing=True))  # fmt: skip
    assert result.inserted == 2 and result.updated == 1
    assert business(engine) != before
    with write_session(engine) as s:
        undone = undo_last_import(s, SYSTEM)
    assert undone.batch_id == result.batch_id and undone.inserted == 2
    assert business(engine) == before
    assert opportunity(engine, "XS202405002").version == 3  # moved on, never back
    with read_session(engine) as s:
        assert s.get(ImportBatch, undone.batch_id).status == "undone"
        assert s.execute(select(AuditLog).where(AuditLog.action == "undo_import")).first()
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert caught.value.code == "nothing_to_undo"


def test_undo_is_a_stack_of_imports(engine, company):
    first = business(engine)
    load(engine, "opportunities", [HEADER, NEW])
    second = business(engine)
    _, result = load(engine, "opportunities", [HEADER, CHANGE_O2], mode="update")
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, SYSTEM, batch_id=result.batch_id - 1)
    assert caught.value.code == "not_last"
    with write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert business(engine) == second
    with write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert business(engine) == first


def test_undo_refuses_when_an_imported_row_changed_since(engine, company):
    load(engine, "opportunities", [HEADER, NEW, CHANGE_O2], mode="update")
    with write_session(engine) as s:
        s.execute(update(Opportunity).where(Opportunity.code == "XS202405002")
                  .values(version=Opportunity.version + 1, risk_flag="有人改过"))  # fmt: skip
    before = snapshot(engine)
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert caught.value.code == "changed_since" and caught.value.params["entity"] == "opportunity"
    assert snapshot(engine) == before


def test_undo_refuses_when_something_new_refers_to_an_imported_row(engine, company):
    load(engine, "opportunities", [HEADER, NEW])
    opp = opportunity(engine, "XS209901001")
    with write_session(engine) as s:
        s.add(KeyAction(opportunity_id=opp.id, stage_id=company["stage_proposal"],
                        owner_id=company["rep_a"], action="手工补录", planned_on=date(2026, 11, 30)))  # fmt: skip
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert caught.value.code == "in_use"


def test_undo_of_key_actions_checks_the_values_written(engine, company):
    header = ["商机编号", "销售阶段", "关键动作", "计划完成时间", "实际完成时间"]
    load(
        engine, "key_actions", [header, ["XS202405001", "需求分析", "痛点访谈", "2024-05-10", None]]
    )
    with write_session(engine) as s:
        s.execute(update(KeyAction).where(KeyAction.action == "痛点访谈")
                  .values(done_on=date(2024, 5, 9)))  # fmt: skip
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert caught.value.code == "changed_since" and caught.value.params["entity"] == "key_action"


def test_only_admins_or_the_importer_undo(engine, company):
    rep_a, rep_b = viewer(engine, company["rep_a"]), viewer(engine, company["rep_b"])
    header = ["商机编号", "销售阶段", "关键动作", "计划完成时间"]
    load(engine, "key_actions", [header, ["XS202405001", "需求分析", "访谈", "2024-05-10"]],
         viewer=rep_a)  # fmt: skip
    with pytest.raises(UndoRefused) as caught, write_session(engine) as s:
        undo_last_import(s, rep_b)
    assert caught.value.code == "forbidden"
    with read_session(engine) as s:
        assert len(import_log(s, rep_b)) == 0 and len(import_log(s, rep_a)) == 1
    with write_session(engine) as s:
        undo_last_import(s, rep_a)


def test_undo_of_a_deal_moved_to_a_customer_the_import_created(engine, company):
    before = business(engine)
    moved = ["XS202405002", "新开客户", "方案制定", "wang.fang", "120万", "智能制造"]
    _, result = load(engine, "opportunities", [HEADER, moved], mode="update",
                     options=ImportOptions(create_missing=True))  # fmt: skip
    assert result.updated == 1
    with write_session(engine) as s:
        undo_last_import(s, SYSTEM)
    assert business(engine) == before
