"""The one error a deal write raises when it refuses: a code the UI and the CLI translate
(``deal.error.<code>``), the field at fault and the values its message names."""

from __future__ import annotations


class DealError(ValueError):
    """A refused write on a deal. ``code`` is translated (``deal.error.<code>``), ``field``
    names the form field at fault (empty when none) and ``params`` fill the message."""

    def __init__(self, error: str, message: str, at: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = error
        self.field = at
        self.params = params
