"""The knowledge base (both backends): search in Chinese and English, tags, promotion from a
deal and a feedback item within the writer's scope; the body's Markdown rendered safely."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.audit import audit_trail
from salesboard.improvement.errors import ImprovementError
from salesboard.improvement.knowledge import (
    all_tags,
    create_practice,
    promote_deal,
    search_practices,
    update_practice,
)
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role
from salesboard.ui.markdown import safe_markdown
from tests import builders as b


@pytest.fixture
def people(engine):
    with write_session(engine) as s:
        b.stages(s)
        one, two = b.team(s, "一组"), b.team(s, "二组")
        m1 = b.user(s, "m1", Role.MANAGER, team=one, manages=[one])
        r1, r2 = b.user(s, "r1", team=one), b.user(s, "r2", team=two)
        deal_one = b.opportunity(s, owner=r1, created_on=date(2026, 10, 1)).code
        deal_two = b.opportunity(s, owner=r2, created_on=date(2026, 10, 2)).code
        ids = (m1.id, r1.id)
    m1, r1 = (b.viewer(engine, i) for i in ids)
    return m1, r1, deal_one, deal_two


def test_search_finds_chinese_substrings_and_english_words(engine, people):
    m1, *_ = people
    with write_session(engine) as s:
        first = create_practice(s, m1, {"title": "需求调研清单", "body": "每周一次**情景模拟**培训",
                                        "tags": "需求分析，培训"})  # fmt: skip
        second = create_practice(s, m1, {"title": "Tiered Quote", "body": "Merge first and detailed quotes",
                                         "tags": "proposal, 100%"})  # fmt: skip
    with read_session(engine) as s:
        assert list(search_practices(s, "情景")["id"]) == [first]  # substring, no word breaks
        assert list(search_practices(s, "调研 培训")["id"]) == [first]  # every word
        assert list(search_practices(s, "tiered")["id"]) == [second]  # case-insensitive
        assert list(search_practices(s, "QUOTES")["id"]) == [second]
        assert list(search_practices(s, "%")["id"]) == [second]  # a literal %, not a wildcard
        assert search_practices(s, "客户满意度").empty
        assert list(search_practices(s, tag="培训")["id"]) == [first]
        assert all_tags(s) == sorted(["需求分析", "培训", "proposal", "100%"])


def test_writes_are_versioned_audited_and_for_managers_only(engine, people):
    m1, r1, *_ = people
    with write_session(engine) as s:
        entry = create_practice(s, m1, {"title": "阶梯报价"})
        update_practice(s, m1, entry, 1, {"body": "先报区间"})
    with write_session(engine) as s, pytest.raises(ImprovementError) as stale:
        update_practice(s, m1, entry, 1, {"body": "别的"})
    assert stale.value.code == "conflict"
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        create_practice(s, r1, {"title": "x"})
    assert refused.value.code == "read_only"
    with read_session(engine) as s:
        assert list(audit_trail(s, entity="best_practice")["action"]) == ["update", "create"]


def test_promote_a_deal_the_writer_may_read_only(engine, people):
    m1, _, deal_one, deal_two = people
    with write_session(engine) as s:
        entry = promote_deal(s, m1, deal_one.lower(), {"title": "大客户打法"})
    with read_session(engine) as s:
        row = search_practices(s, "大客户").iloc[0]
    assert (row["id"], row["source_kind"], row["source_ref"]) == (entry, "deal", deal_one)
    assert row["source_link"] == f"/opportunity?code={deal_one}"
    with write_session(engine) as s, pytest.raises(ImprovementError) as hidden:
        promote_deal(s, m1, deal_two, {"title": "别组的"})  # another team's deal
    assert hidden.value.code == "not_found"


@pytest.mark.parametrize(
    ("body", "absent", "present"),
    [
        ("<script>alert(1)</script>", ["<script>"], ["&lt;script&gt;"]),
        ("<img src=x onerror=alert(1)>", ["<img"], ["&lt;img"]),
        ("[点我](javascript:alert(1))", ["[点我]("], ["\\[点我\\]"]),
        ("![track](http://evil.example/x.png)", ["![track]("], ["\\!\\[track\\]"]),
        ("[docs](https://example.com/guide)", [], ["[docs](https://example.com/guide)"]),
        (":red[警告] :material/home:", [":red["], ["\\:red", "\\:material/"]),
        ("价格 $x^2$ 元", [], ["\\$x^2\\$"]),
    ],
)
def test_unsafe_markdown_is_rendered_as_text(body, absent, present):
    out = safe_markdown(body)
    for text in absent:
        assert text not in out
    for text in present:
        assert text in out


def test_safe_markdown_keeps_structure():
    out = safe_markdown("## 步骤\n\n1. 调研\n2. **培训**\n- 清单")
    assert out.splitlines() == ["## 步骤", "", "1. 调研", "2. **培训**", "- 清单"]
