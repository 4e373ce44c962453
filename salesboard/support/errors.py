"""The one error a support write raises when it refuses: a code the UI and the CLI translate
(``support.error.<code>``), the field at fault and the values its message names."""

from __future__ import annotations


class SupportError(ValueError):
    """A refused write or a hidden/missing request (``not_found``)."""

    def __init__(self, error: str, message: str, at: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = error
        self.field = at
        self.params = params
