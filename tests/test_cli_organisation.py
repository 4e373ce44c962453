"""``python -m salesboard org …`` on both backends: the organisation set up from the command
line with the page's rules and audit; a refusal is one line naming the option, in the
configured language, and changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from salesboard.cli.main import main
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog, Role
from salesboard.store.reference_data import ensure_reference_data
from tests import builders as b
from tests.test_backup import store_url


@pytest.fixture
def url(engine):
    with write_session(engine) as s:
        ensure_reference_data(s)
        b.user(s, "mia", Role.MANAGER)
    return store_url(engine)


def org(url, capsys, *args) -> tuple[int, str, str]:
    status = main(["--database-url", url, "org", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_organisation_from_the_command_line(engine, url, capsys):
    assert org(url, capsys, "add", "region", "--code", "south", "--zh", "华南", "--en",
               "South")[0] == 0  # fmt: skip
    assert org(url, capsys, "add", "team", "--zh", "华南一组", "--region", "south")[0] == 0
    assert org(url, capsys, "managers", "华南一组", "mia")[0] == 0
    assert org(url, capsys, "rename", "team", "华南一组", "--en", "South 1")[0] == 0
    assert org(url, capsys, "retire", "lead_source", "partner")[0] == 0
    status, out, _ = org(url, capsys, "list", "team", "--tsv")
    assert status == 0
    assert out.splitlines() == [
        "key\tname_zh\tname_en\tactive\tregion\tmanagers",
        "华南一组\t华南一组\tSouth 1\tTrue\tsouth\tmia",
    ]
    status, out, _ = org(url, capsys, "list", "lead_source", "--tsv")
    assert "partner\t合作伙伴\tPartner\tFalse" in out.splitlines()
    with read_session(engine) as s:
        entries = s.exec(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(a.action, a.entity) for a in entries] == [
        ("create", "region"), ("create", "team"), ("update", "team"), ("update", "team"),
        ("deactivate", "lead_source"),
    ]  # fmt: skip
    assert all(a.actor_name.startswith("cli:") for a in entries)
    assert json.loads(entries[2].new_values) == {"managers": ["mia"]}


@pytest.mark.parametrize(
    ("args", "lang", "line"),
    [
        (["add", "region", "--code", "South!", "--zh", "华南"], "zh",
         "error: --code: 编码“South!”无效：只能用小写字母、数字、下划线或连字符，最多 32 位。"),
        (["add", "region", "--code", "west", "--zh", "企业客户"], "en", None),
        (["add", "team", "--zh", "一组", "--region", "north"], "en",
         "error: --region: There is no region “north” in use."),
        (["managers", "一组", "nobody"], "en", "error: KEY: “一组” was not found."),
        (["rename", "customer_type", "smb", "--zh", "企业客户"], "en",
         "error: --zh: “企业客户” is there already (full-width/half-width, spaces and case do "
         "not make a different name)."),
    ],
)  # fmt: skip
def test_a_refusal_is_one_line_naming_the_option(engine, url, capsys, monkeypatch, args, lang,
                                                 line):  # fmt: skip
    monkeypatch.setenv("SALESBOARD_DEFAULT_LANGUAGE", lang)
    from salesboard.store.settings import get_settings

    get_settings.cache_clear()
    with read_session(engine) as s:
        before = s.exec(select(AuditLog)).all()
    status, out, err = org(url, capsys, *args)
    get_settings.cache_clear()
    if line is None:  # a region may share a name with a customer type: another list
        assert status == 0
        return
    assert (status, out, err.strip()) == (1, "", line)
    with read_session(engine) as s:
        assert s.exec(select(AuditLog)).all() == before
