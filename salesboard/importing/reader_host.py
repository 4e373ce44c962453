"""Imported only inside the readers' fork server (``isolation`` names it as the preload), never
by the app: it loads the readers once for every child, and stops the children from re-running
the parent's main script. multiprocessing re-imports ``__main__`` in each child, and while a
Streamlit page runs, ``__main__`` is the app script itself: a child would start the app."""

from multiprocessing import spawn

import salesboard.importing.readers  # noqa: F401 - imported once here, shared by each child


def _skip_main(_name_or_path: str) -> None:
    """A reader's child needs nothing from the parent's main module."""


spawn._fixup_main_from_path = _skip_main
spawn._fixup_main_from_name = _skip_main
