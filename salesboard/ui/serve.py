"""Start the Streamlit server for app.py with the legacy pages/ auto-discovery switched off.

Streamlit decides per process whether the app "uses the pages directory" when the first
session starts; until some script has called ``st.navigation`` it runs that first request
the legacy way, so a URL naming a file in pages/ (e.g. /overview) runs that page without
the entry point's shell, and any other deep link pops up "Page not found". Our navigation
is always explicit, so we settle the flag before the server starts.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from salesboard.settings import PROJECT_ROOT, get_settings


def main(argv: Sequence[str] = ()) -> None:
    """Run ``streamlit run app.py`` in this process, passing ``argv`` through."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    argv = list(argv)
    if not any(a.startswith("--server.maxUploadSize") for a in argv):
        # Streamlit's own cap follows SALESBOARD_MAX_UPLOAD_MB (the page checks it too).
        argv += ["--server.maxUploadSize", str(get_settings().max_upload_mb)]
    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "app.py"), *argv]
    sys.exit(cli.main())


if __name__ == "__main__":
    main(sys.argv[1:])
