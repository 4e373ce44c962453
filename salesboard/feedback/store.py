"""Forms in the store under one name, for callers that both read and write them (the crash
and concurrent-writer tests, the feedback benchmark). Nothing lives here: reading is
``queries``, writing and the sign-off steps are ``workflow``, who may do what is
``permissions``, the prefill is ``prefill``; new code imports from those."""

from salesboard.feedback.permissions import EDITABLE_STATUSES, STATUSES
from salesboard.feedback.prefill import prefill_kpis
from salesboard.feedback.queries import (
    NOT_STARTED,
    FormView,
    amendment_diff,
    find_form,
    get_form,
    open_items,
    team_status,
    visible_reps,
)
from salesboard.feedback.workflow import (
    MAX_BODY_CHARS,
    FormError,
    StaleForm,
    amend,
    confirm,
    return_form,
    save_draft,
    start_form,
    submit,
)

__all__ = [
    "EDITABLE_STATUSES", "MAX_BODY_CHARS", "NOT_STARTED", "STATUSES", "FormError", "FormView",
    "StaleForm", "amend", "amendment_diff", "confirm", "find_form", "get_form", "open_items",
    "prefill_kpis", "return_form", "save_draft", "start_form", "submit", "team_status",
    "visible_reps",
]  # fmt: skip
