"""Names the store has in both languages read in the page's language: a key action (stored
by its Chinese name, the stage settings give the English one) on the English feedback form,
deal page and overdue list."""

from __future__ import annotations

from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role
from salesboard.store.reference_data import DEFAULT_STAGES, key_action_names
from tests.apptest_support import first_user, open_app

CHINESE = {name for stage in DEFAULT_STAGES for name in stage.key_actions_zh}
ENGLISH = {name for stage in DEFAULT_STAGES for name in stage.key_actions_en}


def test_key_action_names_pair_each_stages_lists(demo_store):
    engine = create_store_engine(demo_store)
    with read_session(engine) as session:
        names = key_action_names(session)
    engine.dispose()
    assert names["线索资格确认"] == "Qualify the lead"
    assert set(names) == CHINESE and set(names.values()) == ENGLISH


def key_action_table(at):
    """The form's key-action table; a failure says what the page showed instead."""
    tables = [e.value for e in at.dataframe if "action" in e.value.columns]
    shown = {
        "month": [s.value for s in at.selectbox if s.key == "period"],
        "messages": [e.value for e in (*at.info, *at.warning, *at.error)],
        "tables": [list(e.value.columns) for e in at.dataframe],
    }
    assert tables, shown
    return tables[0]


def test_the_english_feedback_form_names_key_actions_in_english(demo_app_env):
    at = open_app("pages/feedback_form.py", lang="en", user=first_user(Role.REP))
    actions = key_action_table(at)
    listed = set(actions["action"]) - {""}
    assert listed, "the demo form lists key actions"
    assert not listed & CHINESE
    assert listed & ENGLISH
    chinese = open_app("pages/feedback_form.py", lang="zh", user=first_user(Role.REP))
    actions = key_action_table(chinese)
    assert set(actions["action"]) & CHINESE  # stored and shown in Chinese on the zh page


def test_every_empty_select_box_has_a_translated_placeholder():
    """A select box with nothing chosen shows Streamlit's English "Choose an option" unless
    given a placeholder: every ``index=None`` box in the UI names one."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = []
    for path in [
        *root.joinpath("salesboard", "ui").rglob("*.py"),
        *root.joinpath("pages").glob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") in ("selectbox", "multiselect")
            ):
                continue
            words = {k.arg: k.value for k in node.keywords}
            empty = isinstance(words.get("index"), ast.Constant) and words["index"].value is None
            if (empty or node.func.attr == "multiselect") and "placeholder" not in words:
                missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert missing == []
