"""No page shows a traceback: a page that fails shows a translated message with an error id,
and the log has the traceback under that id; Streamlit's own error details are off in the
config file and in the serve command."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest

from salesboard.i18n import t
from salesboard.overview import figures
from tests.apptest_support import open_app

ROOT = Path(__file__).resolve().parent.parent
SECRET = "/srv/salesboard/secret_path.py line 42"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failing_page_shows_a_translated_message_with_an_error_id(
    demo_app_env, monkeypatch, caplog, lang
):
    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(figures, "overview_kpis", broken)
    caplog.set_level(logging.ERROR, logger="salesboard.ui")
    at = open_app(lang=lang, user="admin", may_crash=True)

    assert not at.exception  # no Streamlit exception box
    [shown] = [e.value for e in at.error]
    error_id = re.search(r"E-[0-9a-f]{6}", shown).group(0)
    assert shown == t("error.unexpected", lang, id=error_id)
    every_text = " ".join(str(e.value) for e in (*at.markdown, *at.error, *at.caption))
    assert SECRET not in every_text and "Traceback" not in every_text
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert SECRET in caplog.text  # the traceback and message are in the log


def test_streamlit_error_details_are_off_in_the_config_and_the_serve_command(monkeypatch):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"

    from streamlit.web import bootstrap

    from salesboard.ui import serve

    seen: dict = {}
    monkeypatch.setattr(bootstrap, "load_config_options", seen.update)
    monkeypatch.setattr(bootstrap, "run_asgi_app", lambda *args: None)
    with pytest.raises(SystemExit):  # click's standalone mode ends with exit(0)
        serve.main(["--server.port", "9"])
    assert seen["client_showErrorDetails"] == "none"


def test_the_served_app_reports_callback_errors_the_same_way():
    """Widget callbacks run before the script (outside the page's boundary): ``st.App`` gets
    the same handler, which hides Streamlit's own box."""
    from salesboard.ui import errors, web

    assert web.app._on_script_error is errors.on_script_error
