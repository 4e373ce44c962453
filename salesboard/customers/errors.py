"""The one error a customer read or write raises when it refuses: a code the UI translates
(``cust.error.<code>``), the field at fault and the values its message names."""

from __future__ import annotations


class CustomerError(ValueError):
    """A refused write, bad settings, or a hidden/missing customer (``not_found``)."""

    def __init__(self, error: str, message: str, at: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = error
        self.field = at
        self.params = params
