"""The support section of My work and the digest (both backends): a rep sees their deals'
open requests and their status, the engineer their department's queue with breaches first,
a manager only their teams' breaches; the managers' digest names the breaches."""

from __future__ import annotations

from datetime import date

from salesboard.reminders.digest import build_digests, review_summary
from salesboard.store.db import read_session, write_session
from salesboard.support.requests import answer
from salesboard.worklist.lists import support_requests
from salesboard.worklist.present import why_text
from tests.support.test_requests import company, new  # noqa: F401  (the fixture)

AS_OF = date(2026, 2, 25)  # Wed after the Spring Festival


def test_the_support_section_per_role(engine, company):  # noqa: F811
    c = company
    late = new(engine, c["r1"], c["deals"]["one"], today=date(2026, 2, 12))  # 4 working days
    fresh = new(engine, c["r2"], c["deals"]["two"], today=date(2026, 2, 25))
    done = new(engine, c["r1"], c["deals"]["one"], "legal_review", today=date(2026, 2, 24))
    with write_session(engine) as s:
        answer(s, c["admin"], done, 1, today=AS_OF)  # admins may answer any department
    with read_session(engine) as s:
        rep = support_requests(s, c["r1"], AS_OF)
        assert list(rep.rows["code"]) == [c["deals"]["one"]] * 2 and late
        assert rep.total == 2 and list(rep.rows["why"]) == ["support_breach", "support_in_progress"]
        assert why_text(rep.rows.iloc[0], "en") == (
            "Support request (Technical proposal) 2 working days past its response standard"
        )
        engineer = support_requests(s, c["eng"], AS_OF)
        assert list(engineer.rows["why"]) == ["support_breach", "support_open"]
        assert engineer.total == 2
        assert support_requests(s, c["m1"], AS_OF).total == 1  # the breach only
        assert support_requests(s, c["m2"], AS_OF).empty  # fresh is in time
        assert support_requests(s, c["m1"], AS_OF, rep_id=c["r2"].user_id).empty
        lines = review_summary(s, c["m1"], AS_OF, "zh")
        assert any("支持请求超时 1 个" in line for line in lines)
        found = build_digests(s, "support", AS_OF)
        digests = {d.recipient.username: d for d in found if hasattr(d, "recipient")}
        assert "技术方案" in digests["eng"].text
    assert fresh
