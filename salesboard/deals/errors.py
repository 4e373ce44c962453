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

    def params_for(self, lang: str) -> dict[str, object]:
        """The message's values in ``lang``: a value with an English twin (``actions`` and
        ``actions_en``: key actions are named in Chinese in the store) reads in English."""
        values = {k: v for k, v in self.params.items() if not k.endswith("_en")}
        if lang == "en":
            values.update({k[:-3]: v for k, v in self.params.items() if k.endswith("_en")})
        return values
