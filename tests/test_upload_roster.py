"""AppTest of a roster upload (issue 14): an HR list with 姓名 / 团队 / 角色 and no username
is detected, checked (the note names each new account), imported, and the one-time
passwords are offered as one download, once: the next rerun holds no copy of them."""

from __future__ import annotations

from sqlalchemy import text

from salesboard.store.db import create_store_engine
from tests.apptest_support import open_app
from tests.importing import files
from tests.test_upload_page import PAGE, store, upload  # noqa: F401  (store: a fixture)


def _first_team(url: str) -> str:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM team ORDER BY id LIMIT 1")).scalar_one()
    engine.dispose()
    return name


def _new_users(url: str) -> list[tuple]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT username, role, must_change_password, password_hash <> '' FROM user "
            "WHERE display_name IN ('欧阳娜娜', '单雄信') ORDER BY username"
        )).all()  # fmt: skip
    engine.dispose()
    return [tuple(r) for r in rows]


def _download_labels(at) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


def test_roster_upload_offers_the_passwords_once(store):  # noqa: F811
    team = _first_team(store)
    roster = files.simple_xlsx([["2026年销售部花名册"], [], ["姓名", "团队", "角色"],
                                ["欧阳娜娜", team, "销售代表"], ["单雄信", team, "经理"]])  # fmt: skip
    at = upload(open_app(PAGE, lang="zh"), "花名册.xlsx", roster)
    kind = next(w for w in at.selectbox if (w.key or "").startswith("kind_"))
    assert kind.value == "users"
    at.button(key="import_check").click().run(timeout=60)
    notes = " ".join(c.value for c in at.caption)
    assert "将新建 2 个账号" in notes and "欧阳娜娜 → ouyang.nana" in notes
    assert "单雄信 → shan.xiongxin" in notes
    at.button(key="import_run").click().run(timeout=60)
    assert not at.exception
    assert _new_users(store) == [("ouyang.nana", "rep", True, True),
                                 ("shan.xiongxin", "manager", True, True)]  # fmt: skip
    assert any("2 个新账号的一次性密码" in label for label in _download_labels(at))
    assert any("唯一副本" in w.value for w in at.warning)
    at.run(timeout=60)  # any later rerun: gone, and no copy kept in the session
    assert not any("一次性密码" in label for label in _download_labels(at))
    assert "import_passwords" not in at.session_state
