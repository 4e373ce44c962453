"""The one-time codes that hand a sign-in to the browser's cookie: single use, short-lived,
never the token itself."""

from __future__ import annotations

import time

from salesboard.ui import handoff


def test_a_code_gives_its_token_once():
    code = handoff.issue_code("token-1")
    assert code != "token-1" and len(code) >= 40 and handoff.is_pending(code)
    assert handoff.redeem_code(code) == "token-1"
    assert not handoff.is_pending(code)
    assert handoff.redeem_code(code) is None


def test_a_code_expires():
    now = time.monotonic()
    code = handoff.issue_code("token-2", now=now)
    assert handoff.redeem_code(code, now=now + handoff.CODE_TTL + 1) is None


def test_unknown_or_empty_codes_give_nothing():
    handoff.issue_code("token-3")
    assert handoff.redeem_code("") is None
    assert handoff.redeem_code("guess") is None


def test_expired_codes_are_dropped_when_new_ones_are_issued():
    start = time.monotonic()
    for i in range(50):
        handoff.issue_code(f"old-{i}", now=start)
    handoff.issue_code("fresh", now=start + handoff.CODE_TTL + 1)
    assert len(handoff._codes) == 1


def test_cookie_and_routes_follow_the_base_path():
    assert handoff.cookie_spec("").path == "/"
    assert handoff.cookie_spec("/sales/").path == "/sales"
    assert handoff.route_url("", handoff.EXCHANGE_PATH) == "/salesboard/session"
    assert handoff.route_url("sales", handoff.SIGN_OUT_PATH) == "/sales/salesboard/sign-out"
    assert handoff.cookie_spec("").max_age == 12 * 3600
