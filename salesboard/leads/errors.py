"""The one error a lead write raises when it refuses: a code the UI, the CLI and the inbound
API translate (``lead.error.<code>``), the field at fault and the values its message names."""

from __future__ import annotations


class LeadError(ValueError):
    """A refused lead write, or a lead the viewer may not see (``not_found``)."""

    def __init__(self, error: str, message: str, at: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = error
        self.field = at
        self.params = params
