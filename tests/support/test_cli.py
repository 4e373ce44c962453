"""``python -m salesboard support …`` and ``department members`` (both backends): the rep raises
a request as themselves, the engineer closes it, refusals are one line naming the option and
write nothing, ``department members`` refuses ``--as-user`` (admin work)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.cli.main import main
from salesboard.store.db import read_session
from salesboard.store.tables import DEPARTMENT, MEMBER, SUPPORT, USER
from tests.support.test_requests import company  # noqa: F401  (the fixture)


def run(engine, *argv: str) -> int:
    return main(["--database-url", engine.url.render_as_string(hide_password=False), *argv])


def test_raise_and_close_from_the_command_line(engine, company, capsys):  # noqa: F811
    code = company["deals"]["one"]
    assert run(engine, "--as-user", "r1", "support", "add", code, "--type", "tech_proposal",
               "--what", "需要技术方案", "--urgency", "high") == 0  # fmt: skip
    assert "#1" in capsys.readouterr().out
    assert run(engine, "--as-user", "r2", "support", "close", "1", "--resolution", "x") == 1
    assert "support request #1" not in capsys.readouterr().out  # hidden: "not found"
    assert run(engine, "--as-user", "eng", "support", "close", "1", "--resolution", "已提交") == 0
    assert run(engine, "--as-user", "r1", "support", "add", code, "--type", "tech_proposal",
               "--what", " ") == 1  # fmt: skip
    assert "--what" in capsys.readouterr().err
    with read_session(engine) as s:
        assert s.execute(select(SUPPORT.c.id, SUPPORT.c.status)).all() == [(1, "closed")]


def test_department_members_is_admin_work(engine, company, capsys):  # noqa: F811
    assert run(engine, "--as-user", "r1", "department", "members", "legal", "r1") == 1
    assert run(engine, "department", "members", "legal", "boss", "eng") == 0
    with read_session(engine) as s:
        members = s.execute(
            select(USER.c.username).join(MEMBER, MEMBER.c.user_id == USER.c.id)
            .join(DEPARTMENT, DEPARTMENT.c.id == MEMBER.c.department_id)
            .where(DEPARTMENT.c.code == "legal").order_by(USER.c.username)
        ).scalars().all()  # fmt: skip
    assert members == ["boss", "eng"]


@pytest.mark.parametrize("argv", [["support", "list"], ["support", "list", "--all"]])
def test_list_shows_only_what_the_user_may_see(engine, company, capsys, argv):  # noqa: F811
    run(engine, "--as-user", "r1", "support", "add", company["deals"]["one"], "--type",
        "legal_review", "--what", "合同审核")  # fmt: skip
    capsys.readouterr()
    assert run(engine, "--as-user", "r2", *argv) == 0
    assert capsys.readouterr().out == ""
    assert run(engine, "--as-user", "m1", *argv) == 0
    assert "legal_review" in capsys.readouterr().out
