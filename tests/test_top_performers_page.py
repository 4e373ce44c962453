"""The top-performers page (AppTest on the demo store): managers and leaders, both languages;
the finding in words matches the comparison; reps do not get the page."""

from __future__ import annotations

import pytest

from salesboard.i18n import t
from salesboard.store.models import Role
from tests.apptest_support import first_user, open_app

PAGE = "pages/top_performers.py"


@pytest.mark.parametrize(("role", "lang"), [(Role.LEADER, "zh"), (Role.LEADER, "en"),
                                            (Role.MANAGER, "en")])  # fmt: skip
def test_the_page_compares_the_quarters(demo_app_env, role, lang):
    at = open_app(PAGE, lang=lang, user=first_user(role), timeout=120)
    assert at.title[0].value == t("top.title", lang)
    table = at.dataframe[0].value
    assert table[t("top.behaviour", lang)].tolist() == [
        t(f"top.b.{b}", lang)
        for b in ("visits_per_week", "effective_share", "action_on_time", "stage_pace",
                  "proposal_days")
    ]  # fmt: skip
    verdicts = set(table[t("top.col.verdict", lang)])
    assert verdicts <= {t(f"top.verdict.{v}", lang) for v in ("clear", "moderate", "none", "thin")}
    stated = [m.value for m in at.markdown if m.value.startswith("- ")]
    clear = [v for v in table[t("top.col.verdict", lang)]
             if v in (t("top.verdict.clear", lang), t("top.verdict.moderate", lang))]  # fmt: skip
    assert len(stated[0].splitlines()) == len(clear) if stated else not clear
    at.selectbox(key="by").set_value("win_rate").run()
    assert not at.exception


def test_reps_do_not_get_the_page(demo_app_env):
    at = open_app(None, lang="en", user=first_user(Role.REP))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # not in a rep's navigation at all
