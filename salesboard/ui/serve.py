"""Serve the app: ``python -m salesboard.ui.serve [--server.port 8501 …]``.

Runs ``app.py`` through ``st.App`` (``salesboard.ui.web``), which adds the routes that keep a
sign-in across browser reloads in an HttpOnly cookie. Accepts every ``streamlit run`` config
flag (``--server.port``, ``--server.address``, ``--server.baseUrlPath`` …) and the same
``STREAMLIT_*`` environment variables and ``.streamlit/config.toml``.

It also switches Streamlit's legacy ``pages/`` auto-discovery off before the server starts.
Streamlit decides per process whether the app "uses the pages directory" when the first
session starts; until some script has called ``st.navigation`` it runs that first request the
legacy way, so a URL naming a file in pages/ (e.g. /overview) runs that page without the entry
point's shell, and any other deep link pops up "Page not found". Our navigation is always
explicit, so we settle the flag first.

Plain ``streamlit run app.py`` still works, without the cookie routes: a reload then asks to
sign in again.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from salesboard.store.settings import PROJECT_ROOT, get_settings

APP_IMPORT = "salesboard.ui.web:app"


def _serve(**flag_options: Any) -> None:
    from streamlit import config as st_config
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import bootstrap

    PagesManager.uses_pages_directory = False
    if flag_options.get("server_maxUploadSize") is None:
        # Streamlit's own cap follows SALESBOARD_MAX_UPLOAD_MB (the upload page checks it too).
        flag_options["server_maxUploadSize"] = get_settings().max_upload_mb
    if flag_options.get("client_showErrorDetails") is None:
        # Never a traceback in the browser, whatever the config files say (errors.py).
        flag_options["client_showErrorDetails"] = "none"
    script = str(PROJECT_ROOT / "app.py")
    # What `streamlit run app.py` does first: config files are found next to app.py.
    st_config._main_script_path = script
    bootstrap.load_config_options(flag_options)
    preload()
    bootstrap.run_asgi_app(script, APP_IMPORT, [], flag_options)


# Not preloaded: what no page imports (the command line, the demo generator, migrations),
# and the Streamlit side, whose caches must be created under the running server.
_NOT_PRELOADED = (
    "salesboard.__main__", "salesboard.cli", "salesboard.demo", "salesboard.store.migrations",
    "salesboard.ui",
)  # fmt: skip


def preload() -> None:
    """Import the domain code the pages use (pandas, plotly, SQLAlchemy with it) and build
    the public holiday calendar before the server takes requests, so the first users after
    a start do not pay for it (about a second of CPU otherwise)."""
    import importlib
    import pkgutil

    def load(package) -> None:  # pkgutil.walk_packages would import the skipped packages too
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if not module.name.startswith(_NOT_PRELOADED):
                loaded = importlib.import_module(module.name)
                if module.ispkg:
                    load(loaded)

    import salesboard
    from salesboard.calendar.workdays import CALENDAR_KINDS, make_calendar

    load(salesboard)
    # Streamlit converts tables through narwhals, which imports its pandas backend lazily:
    # half a second of the first table's time otherwise.
    import narwhals._pandas_like

    load(narwhals._pandas_like)
    kind = get_settings().calendar
    make_calendar(kind if kind in CALENDAR_KINDS else "CN")


def _command() -> click.Command:
    from streamlit.web.cli import configurator_options

    return click.command(name="salesboard.ui.serve")(configurator_options(_serve))


def main(argv: Sequence[str] = ()) -> None:
    """Parse Streamlit's config flags from ``argv`` and serve the app until stopped."""
    _command().main(args=list(argv), prog_name="python -m salesboard.ui.serve")


if __name__ == "__main__":
    main(sys.argv[1:])
