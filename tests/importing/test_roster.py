"""A roster as HR hands it over (issue 14): 姓名 / 团队 / 区域 / 角色 and no username.
Usernames from 工号, e-mail or pinyin, taken ones numbered on; one-time passwords that only
the caller gets (never in the store, the import log or the audit); the same roster again
creates nobody; the CLI writes the passwords to a new XLSX only. Both backends."""

from __future__ import annotations

import io
import stat

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from salesboard.accounts.auth import authenticate, verify_password
from salesboard.cli.main import main
from salesboard.importing.mapping import check_mapping
from salesboard.importing.undo import undo_last_import
from salesboard.importing.usernames import base_username, pinyin_username, unique_usernames
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role, Team, User
from tests.companies.importing import seed, viewer
from tests.importing.helpers import FIRST_DATA_ROW, check, load, problems, workbook

ROSTER = ["姓名", "团队", "区域", "角色"]


@pytest.fixture
def company(engine):
    return seed(engine)


@pytest.mark.parametrize(
    ("name", "email", "number", "expected"),
    [
        ("张伟", None, None, "zhang.wei"),
        ("欧阳娜娜", None, None, "ouyang.nana"),  # compound surname
        ("单雄信", None, None, "shan.xiongxin"),  # 单 as a surname reads shan
        ("曾小贤", None, None, "zeng.xiaoxian"),
        ("吕布", None, None, "lv.bu"),
        (" 张　伟 ", None, None, "zhang.wei"),  # spaces, full-width too
        ("Zhang Wei", None, None, "zhang.wei"),
        ("O'Neil, Mary", None, None, "o.neil.mary"),
        ("张伟", "Wei.Zhang@corp.example", None, "wei.zhang"),  # the e-mail's local part
        ("张伟", "Wei.Zhang@corp.example", " SZ 0012 ", "SZ0012"),  # the 工号 first, as typed
        ("😀", None, None, "user"),
    ],
)
def test_username_from_number_email_or_pinyin(name, email, number, expected):
    assert base_username(name, email, number) == expected


def test_taken_usernames_are_numbered_on():
    taken = ["Zhang.Wei", "zhang.wei2", "li.na"]  # compared ignoring case
    assert unique_usernames(["zhang.wei", "zhang.wei", "li.na", "wang.fang"], taken) == [
        "zhang.wei3", "zhang.wei4", "li.na2", "wang.fang",
    ]  # fmt: skip
    assert pinyin_username("张威") == "zhang.wei"  # another name, the same letters


def test_hr_roster_is_detected_and_needs_no_username_column(engine, company):
    admin = viewer(engine, company["admin"])
    validation = check(engine, None, [ROSTER, ["刘洋", "华南一组", "华南", "销售代表"]],
                       viewer=admin)  # fmt: skip
    assert validation.kind.name == "users"
    assert (
        check_mapping(validation.kind, validation.mapping, list(validation.mapping.values())) == []
    )
    assert validation.mapping == {"display_name": "姓名", "team": "团队", "region": "区域",
                                  "role": "角色"}  # fmt: skip
    assert validation.clean


def _user(engine, username):
    with read_session(engine) as s:
        return s.execute(select(User).where(User.username == username)).scalar_one()


def test_roster_creates_accounts_with_one_time_passwords(engine, company):
    admin = viewer(engine, company["admin"])
    rows = [
        ROSTER,
        ["刘洋", "华南二组", "华南", "销售代表"],  # a new team in an existing region
        ["欧阳娜娜", "华南二组", "华南", "经理"],
        ["张威", "华东一组", None, "总监"],  # zhang.wei and zhang.wei2 are taken
        ["刘洋", "华东一组", None, "销售"],
    ]  # same name, another person: liu.yang2
    validation, result = load(engine, "users", rows, viewer=admin)
    assert (result.inserted, result.failed) == (4, 0), problems(validation)
    assert [c[:2] for c in result.credentials] == [
        ("liu.yang", "刘洋"), ("ouyang.nana", "欧阳娜娜"), ("zhang.wei3", "张威"),
        ("liu.yang2", "刘洋"),
    ]  # fmt: skip
    (note,) = [params for key, params in validation.notes if key == "import.note.new_users"]
    assert note == {"count": 4, "names": "刘洋 → liu.yang、欧阳娜娜 → ouyang.nana、张威 → "
                                          "zhang.wei3、刘洋 → liu.yang2"}  # fmt: skip
    passwords = {username: password for username, _, password in result.credentials}
    assert len(set(passwords.values())) == 4
    with read_session(engine) as s:
        teams = dict(s.execute(select(Team.name, Team.id)).all())
    ouyang, zhang = _user(engine, "ouyang.nana"), _user(engine, "zhang.wei3")
    assert (ouyang.role, ouyang.team_id, ouyang.display_name) == (
        Role.MANAGER, teams["华南二组"], "欧阳娜娜",
    )  # fmt: skip
    assert (zhang.role, zhang.team_id) == (Role.LEADER, teams["华东一组"])
    for username, password in passwords.items():
        user = _user(engine, username)
        assert user.must_change_password and verify_password(user.password_hash, password)
        assert password not in user.password_hash
    with write_session(engine) as s:  # the one-time password signs in (and must be changed)
        signed = authenticate(s, "liu.yang", passwords["liu.yang"])
        assert signed.user is not None and signed.user.must_change_password
    # The passwords are nowhere in the store: not in the import log, its changes, the audit.
    with engine.connect() as conn:
        for table in ("import_batch", "import_change", "audit_log"):
            dump = repr(conn.execute(text(f"SELECT * FROM {table}")).all())
            assert not any(p in dump for p in passwords.values()), table
    assert "password" not in repr(result)


def test_same_roster_again_creates_nobody(engine, company):
    admin = viewer(engine, company["admin"])
    rows = [ROSTER,
            ["刘洋", "华南一组", None, "销售代表"],
            ["刘洋", "华东一组", None, "销售代表"],
            ["赵敏", "华东一组", None, "经理"]]  # fmt: skip
    assert load(engine, "users", rows, viewer=admin)[1].inserted == 3
    again = check(engine, "users", rows, viewer=admin)  # insert only: each says who they are
    assert problems(again) == {(FIRST_DATA_ROW + i, "姓名", "has_account") for i in range(3)}
    assert {p["username"] for p in again.problems["params"]} == {
        "liu.yang",
        "liu.yang2",
        "zhao.min",
    }
    rows[3][3] = "销售代表"  # the two 刘洋 told apart by their teams
    validation, result = load(engine, "users", rows, viewer=admin, mode="update")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 2), problems(validation)
    assert result.credentials == []
    assert _user(engine, "zhao.min").role == Role.REP


def test_a_name_several_stored_people_share_is_refused_naming_them(engine, company):
    admin = viewer(engine, company["admin"])
    validation = check(engine, "users", [ROSTER, ["张伟", None, None, "销售"],
                                         ["张伟", "华南一组", None, "经理"]], viewer=admin)  # fmt: skip
    # no team: either stored 张伟; 华南一组: the one in that team (zhang.wei), already there
    assert problems(validation) == {(FIRST_DATA_ROW, "姓名", "ambiguous_person"),
                                    (FIRST_DATA_ROW + 1, "姓名", "has_account")}  # fmt: skip
    first = validation.problems.iloc[0]
    assert first["params"] == {"candidates": "zhang.wei、zhang.wei2"}
    from salesboard.importing.report import report_frame

    assert "zhang.wei、zhang.wei2" in report_frame(validation, "zh").iloc[0, 3]
    assert "may be any of" in report_frame(validation, "en").iloc[0, 3]


def test_employee_number_and_email_identify_people(engine, company):
    admin = viewer(engine, company["admin"])
    header = ["工号", "姓名", "邮箱", "角色"]
    rows = [
        header,
        ["A0012", "孙丽", None, "销售"],
        [None, "周杰", "Jay.Zhou@corp.example", "销售"],
        [None, "王芳", "wang.fang@corp.example", "销售"],
    ]  # stored 王芳 has no e-mail
    validation, result = load(engine, "users", rows, viewer=admin, mode="update")
    assert (result.inserted, result.updated) == (2, 1), problems(validation)
    assert [c[0] for c in result.credentials] == ["A0012", "jay.zhou"]
    assert _user(engine, "wang.fang").email == "wang.fang@corp.example"
    # again: by 工号 and by e-mail, even with other names
    rows[1][1], rows[2][1] = "孙莉", "周杰伦"
    validation, result = load(engine, "users", rows, viewer=admin, mode="update")
    assert (result.inserted, result.updated, result.unchanged) == (0, 2, 1), problems(validation)
    assert _user(engine, "jay.zhou").display_name == "周杰伦"


def test_undo_removes_the_accounts(engine, company):
    admin = viewer(engine, company["admin"])
    load(engine, "users", [ROSTER, ["刘洋", "华南一组", None, "销售"]], viewer=admin)
    with write_session(engine) as s:
        undo_last_import(s, admin)
    with read_session(engine) as s:
        assert s.execute(select(User).where(User.username == "liu.yang")).first() is None


# --- the command line ---------------------------------------------------------------------


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


@pytest.fixture
def roster_file(engine, company, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(workbook([ROSTER, ["刘洋", "华南一组", None, "销售代表"],
                               ["欧阳娜娜", "华南一组", None, "销售经理"]]))  # fmt: skip
    return str(path)


def test_cli_needs_a_new_xlsx_for_the_passwords(engine, roster_file, tmp_path, capsys):
    url = engine.url.render_as_string(hide_password=False)
    assert run(url, "import", roster_file, "--dry-run") == 0  # a dry run creates nobody
    assert "欧阳娜娜 → ouyang.nana" in capsys.readouterr().out
    assert run(url, "import", roster_file) == 1
    assert "--passwords-out" in capsys.readouterr().err
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"earlier passwords")
    for target in ("-", str(tmp_path / "pw.csv"), str(existing)):
        assert run(url, "import", roster_file, "--passwords-out", target) == 1
        assert "--passwords-out" in capsys.readouterr().err
    assert existing.read_bytes() == b"earlier passwords"
    with read_session(engine) as s:
        assert s.execute(select(User).where(User.username == "liu.yang")).first() is None
    out_file = tmp_path / "一次性密码.xlsx"
    assert run(url, "import", roster_file, "--passwords-out", str(out_file), "--lang", "en") == 0
    printed = capsys.readouterr()
    assert "2 new accounts" in printed.out
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    sheet = load_workbook(io.BytesIO(out_file.read_bytes())).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert rows[1] == ("Username", "Name", "One-time password")
    for username, _name, password in rows[2:]:
        assert password not in printed.out + printed.err
        assert verify_password(_user(engine, username).password_hash, password)
    assert [r[:2] for r in rows[2:]] == [("liu.yang", "刘洋"), ("ouyang.nana", "欧阳娜娜")]
    # nothing new: no file is left behind
    again = tmp_path / "again.xlsx"
    assert run(url, "import", roster_file, "--mode", "skip", "--passwords-out", str(again)) == 0
    assert not again.exists()
