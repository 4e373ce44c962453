"""Stage settings: the edited stage list is validated as a whole, applied in one audited
transaction, and every query sees the change."""

from __future__ import annotations

import pandas as pd
import pytest

from salesboard.accounts.access import PermissionDenied
from salesboard.accounts.audit import audit_trail
from salesboard.pipeline import overdue
from salesboard.pipeline.stage_settings import (
    StageSettingsError,
    apply_stage_plan,
    plan_stage_changes,
    stage_table,
)
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import OpportunityFilter
from tests.companies.pipeline import AS_OF, build


@pytest.fixture
def store(engine):
    return build(engine)


def table(store) -> pd.DataFrame:
    with read_session(store.engine) as s:
        return stage_table(s)


def save(store, original, edited, actor="admin"):
    plan = plan_stage_changes(original, edited)
    with write_session(store.engine) as s:
        apply_stage_plan(s, store.viewers[actor], plan)
    return plan


def problems(original, edited) -> list[tuple[str, str]]:
    with pytest.raises(StageSettingsError) as caught:
        plan_stage_changes(original, edited)
    return caught.value.problems


def test_stage_table_tells_which_stages_are_in_use(store):
    stages = table(store).set_index("code")
    assert list(stages.index) == [
        "lead", "needs_analysis", "proposal", "negotiation", "contract", "delivery", "lost",
    ]  # fmt: skip
    # D4 passed through contract signing (a stay) into delivery (stay + current stage).
    assert stages.loc["contract", "usage"] and stages.loc["delivery", "usage"]


def test_rename_reorder_add_and_delete_unused(store):
    # Every default stage has deals in this store (D4 was signed and is in delivery): add an
    # unused one first, to delete below.
    before = table(store)
    trial = {"id": None, "code": "trial", "position": 8, "name_zh": "试用", "name_en": "Trial",
             "kind": "open", "standard_days": 5, "idle_days": None, "active": True}  # fmt: skip
    save(store, before, pd.concat([before, pd.DataFrame([trial])], ignore_index=True))
    original = table(store)
    edited = original.copy()
    edited.loc[edited["code"] == "negotiation", ["name_zh", "standard_days"]] = [
        "商务谈判与审批",
        3,
    ]
    # Swap the positions of proposal (3) and negotiation (4).
    edited.loc[edited["code"] == "proposal", "position"] = 4
    edited.loc[edited["code"] == "negotiation", "position"] = 3
    edited = edited[edited["code"] != "trial"]  # unused: may go
    new = {"id": None, "code": "pilot", "position": 7, "name_zh": "试点", "name_en": "Pilot",
           "kind": "open", "standard_days": 10, "idle_days": None, "active": True}  # fmt: skip
    edited = pd.concat([edited, pd.DataFrame([new])], ignore_index=True)
    plan = save(store, original, edited)
    assert (len(plan.creates), len(plan.deletes)) == (1, 1)
    after = table(store).set_index("code")
    assert after.loc["negotiation", "name_zh"] == "商务谈判与审批"
    assert (after.loc["negotiation", "position"], after.loc["proposal", "position"]) == (3, 4)
    assert "trial" not in after.index and after.loc["pilot", "name_en"] == "Pilot"
    with read_session(store.engine) as s:
        trail = audit_trail(s, entity="stage")
        # Every view uses the new standard: D2 has been in negotiation 3 working days
        # (03-03, 03-04, 03-05), which is not over a 3-day standard.
        ranking = overdue.overdue_ranking(s, store.viewers["admin"], OpportunityFilter(), AS_OF)
    assert sorted(trail["action"]) == ["create", "create", "delete", "update", "update"]
    assert store.deals["D2"] not in ranking["opportunity_id"].tolist()


def test_a_shorter_standard_makes_deals_overdue_everywhere(store):
    original = table(store)
    edited = original.copy()
    edited.loc[edited["code"] == "negotiation", "standard_days"] = 2
    save(store, original, edited)
    with read_session(store.engine) as s:
        ranking = overdue.overdue_ranking(s, store.viewers["admin"], OpportunityFilter(), AS_OF)
    # D2 entered negotiation 03-02: 3 working days > 2.
    assert store.deals["D2"] in ranking["opportunity_id"].tolist()


def test_used_stage_cannot_be_deleted_and_nothing_is_saved(store):
    original = table(store)
    edited = original[original["code"] != "proposal"].copy()
    edited.loc[edited["code"] == "lead", "name_en"] = "Leads"
    assert problems(original, edited) == [("in_use", "proposal")]
    assert table(store).set_index("code").loc["lead", "name_en"] == "Lead"


def test_deactivate_instead_of_delete(store):
    original = table(store)
    edited = original.copy()
    edited.loc[edited["code"] == "proposal", "active"] = False
    save(store, original, edited)
    assert not table(store).set_index("code").loc["proposal", "active"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.assign(code=e["code"].where(e["code"] != "lead", "leads")), [("code_fixed", "lead")]),
        (lambda e: e.assign(standard_days=e["standard_days"].where(e["code"] != "lead", 0)),
         [("bad_standard_days", "lead")]),
        (lambda e: e.assign(idle_days=e["idle_days"].where(e["code"] != "lead", 2.5)),
         [("bad_idle_days", "lead")]),
        (lambda e: e.assign(position=e["position"].where(e["code"] != "lead", 2)),
         [("duplicate_position", "2")]),
        (lambda e: e.assign(name_en=e["name_en"].where(e["code"] != "lead", " ")),
         [("name_missing", "lead")]),
        (lambda e: e.assign(active=e["kind"] != "won"), [("no_won_stage", "")]),
        (lambda e: e.assign(active=e["kind"] != "open"), [("no_open_stage", "")]),
    ],
)  # fmt: skip
def test_rules(store, change, expected):
    original = table(store)
    assert problems(original, change(original.copy())) == expected


def test_new_stage_codes_must_be_identifiers_and_unique(store):
    original = table(store)
    rows = [
        {"id": None, "code": "Bad Code", "position": 8, "name_zh": "甲", "name_en": "A", "kind": "open"},
        {"id": None, "code": "lead", "position": 9, "name_zh": "乙", "name_en": "B", "kind": "open"},
    ]  # fmt: skip
    edited = pd.concat([original, pd.DataFrame(rows)], ignore_index=True)
    assert problems(original, edited) == [("bad_code", "bad code"), ("duplicate_code", "lead")]


def test_only_admins_apply_stage_changes(store):
    original = table(store)
    edited = original.copy()
    edited.loc[edited["code"] == "lead", "name_en"] = "Leads"
    with pytest.raises(PermissionDenied):
        save(store, original, edited, actor="ma")
