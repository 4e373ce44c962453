"""A change the store refuses reads in the page's language: the domain's reason (English, for
the log) never reaches the screen — the calendar, the stage thresholds and the feedback form's
metric settings each show their own translated message instead."""

from __future__ import annotations

import pytest

from salesboard.calendar import workdays
from salesboard.feedback import config as form_config
from salesboard.i18n import t
from salesboard.ui import stage_settings
from tests.apptest_support import open_app

REASON = "threshold on_time of 'proposal' must be between 0 and 1: 7"

# page, the function that refuses, the button that saves, the message the user reads
CASES = [
    ("pages/calendar_settings.py", (workdays, "set_override"), "calendar.save",
     "calendar.not_saved"),
    ("pages/stage_settings.py", (stage_settings, "save_threshold_table"),
     "stages.save_thresholds", "stages.thresholds_not_saved"),
    ("pages/feedback_team.py", (form_config, "save_config"), "feedback_config.save",
     "feedback_config.not_saved"),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("page", "target", "button", "message"), CASES, ids=["calendar", "thresholds", "metrics"]
)
def test_a_refused_change_reads_in_the_pages_language(
    demo_app_env, monkeypatch, page, target, button, message, lang
):
    def refuse(*args, **kwargs):
        raise ValueError(REASON)

    monkeypatch.setattr(*target, refuse)
    at = open_app(page, lang=lang, user="admin")
    next(b for b in at.button if b.label == t(button, lang)).click().run()
    assert [e.value for e in at.error] == [t(message, lang)]
    assert not at.exception
