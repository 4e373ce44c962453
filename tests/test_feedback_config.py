"""The feedback form's configurable KPIs (issue 5 §8) in a real store, both backends: an
admin's configuration is stored, audited and shapes the next form; anyone else is refused;
a configuration that cannot work is refused naming the metric, and nothing is stored; the
process-metric share warning follows the seed's 40 % recommendation. Then the same through
the team page's configuration tab (AppTest)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.feedback import config as form_config
from salesboard.feedback import workflow
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import AppSetting, AuditLog, Role
from tests.apptest_support import first_user
from tests.builders import add_team, add_user
from tests.test_feedback_pages import TEAM_PAGE, open_page, store_copy  # noqa: F401

KEY = form_config.SETTING_KEY


@pytest.fixture
def people(engine):
    add_team(engine)
    ids = {
        "admin": add_user(engine, "admin", Role.ADMIN),
        "mia": add_user(engine, "mia", Role.MANAGER, team_id=1),
        "alice": add_user(engine, "alice", Role.REP, team_id=1),
    }
    with read_session(engine) as s:
        return {name: load_viewer(s, uid) for name, uid in ids.items()}


def _audits(engine) -> int:
    with read_session(engine) as s:
        return s.execute(
            select(func.count()).where(AuditLog.entity == "setting", AuditLog.entity_id == KEY)
        ).scalar_one()


def test_admin_config_is_stored_audited_and_shapes_the_next_form(engine, people):
    metrics = list(form_config.DEFAULT_METRICS)
    # Hide proposals, put visits first and weigh it 40 (taking 20 from on-time collection, 5
    # from lead conversion and 5 from key-action completion: the weights still add to 100).
    changed = {"on_time_collection": 0, "lead_conversion": 0, "key_action_completion": 5}
    metrics = [
        replace(m, shown=False) if m.code == "proposals"
        else replace(m, order=0, weight=40) if m.code == "visits"
        else replace(m, weight=changed[m.code]) if m.code in changed
        else m
        for m in metrics
    ]  # fmt: skip
    config = form_config.FormConfig(tuple(metrics), threshold=0.8)
    with write_session(engine) as s:
        form_config.save_config(s, people["admin"], config)
    with read_session(engine) as s:
        loaded = form_config.load_config(s)
    assert loaded.threshold == 0.8
    assert [m.code for m in loaded.shown][0] == "visits"
    assert "proposals" not in [m.code for m in loaded.shown]
    assert loaded.metric("visits").weight == 40
    assert _audits(engine) == 1
    with write_session(engine) as s:
        form = workflow.start_form(s, people["alice"], people["alice"].user_id, "2026-10")
    codes = [row["code"] for row in form.body["kpis"]]
    assert codes[0] == "visits" and "proposals" not in codes
    assert len(codes) == len(form_config.DEFAULT_METRICS) - 1


@pytest.mark.parametrize("who", ["mia", "alice"])
def test_only_admins_change_the_configuration(engine, people, who):
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        form_config.save_config(s, people[who], form_config.DEFAULT_CONFIG)
    with read_session(engine) as s:
        assert s.get(AppSetting, KEY) is None
    assert _audits(engine) == 0


@pytest.mark.parametrize(
    ("code", "weight", "message"),
    [
        ("sales", 150, "sales: weight must be between 0 and 100"),
        # Weights are percentages adding up to 100 (issue 13): 125 % is refused.
        ("visits", 35, "add up to 125 %, not 100 %"),
    ],
)
def test_an_unusable_configuration_is_refused_naming_the_metric(
    engine, people, code, weight, message
):
    bad = tuple(
        replace(m, weight=weight) if m.code == code else m for m in form_config.DEFAULT_METRICS
    )
    with pytest.raises(ValueError, match=message):
        with write_session(engine) as s:
            form_config.save_config(s, people["admin"], form_config.FormConfig(bad))
    with read_session(engine) as s:
        assert s.get(AppSetting, KEY) is None
        assert form_config.load_config(s) == form_config.DEFAULT_CONFIG


def test_process_share_and_its_warning():
    # Defaults (seed 003): result 30 + 20 + 25 = 75; the rest, 25, on the process metrics
    # that have a target (visits 10, lead conversion 5, key-action completion 10): below
    # the seed's recommended 40 %, which the settings page says. (Until issue 13 the
    # weights were relative, 50 of 125.)
    assert form_config.process_share(form_config.DEFAULT_METRICS) == pytest.approx(0.25)
    assert form_config.weight_warnings(form_config.DEFAULT_METRICS) == [
        ("feedback.config.process_low", {"share": "25.0%"})
    ]
    balanced = tuple(
        replace(m, weight={"sales": 25, "new_customers": 20, "on_time_collection": 15,
                           "visits": 15, "lead_conversion": 10, "key_action_completion": 15}
                .get(m.code, 0))
        for m in form_config.DEFAULT_METRICS
    )  # fmt: skip
    assert form_config.process_share(balanced) == pytest.approx(0.40)
    assert form_config.weight_warnings(balanced) == []
    light = tuple(
        replace(m, shown=False) if m.code in ("proposals", "visits") else m
        for m in form_config.DEFAULT_METRICS
    )  # process 15 of 90
    assert form_config.process_share(light) == pytest.approx(15 / 90)
    assert form_config.weight_warnings(light) == [
        ("feedback.config.process_low", {"share": "16.7%"})
    ]
    nothing = tuple(replace(m, weight=0) for m in form_config.DEFAULT_METRICS)
    assert form_config.weight_warnings(nothing) == [("feedback.config.no_weights", {})]


def test_team_page_config_tab_saves_the_threshold(store_copy):  # noqa: F811
    at = open_page(TEAM_PAGE, "admin", lang="en")
    assert any("Process metrics carry 25" in c.value for c in at.caption)
    threshold = next(n for n in at.number_input if n.label.startswith("Completion below"))
    assert threshold.value == 90.0
    threshold.set_value(85.0)
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception, [e.value for e in at.exception]
    engine = create_store_engine(store_copy)
    with read_session(engine) as s:
        assert form_config.load_config(s).threshold == pytest.approx(0.85)
    engine.dispose()
    assert _audits_at(store_copy) == 1
    # A manager's team page has no configuration tab.
    at = open_page(TEAM_PAGE, first_user(Role.MANAGER, store_copy), lang="en")
    assert not any(n.label.startswith("Completion below") for n in at.number_input)


def _audits_at(url: str) -> int:
    engine = create_store_engine(url)
    try:
        return _audits(engine)
    finally:
        engine.dispose()
