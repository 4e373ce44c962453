"""Who may do what with a feedback form: the workflow enforces these predicates and the pages
ask them before offering a button, so the rule is written once.

The states and the steps between them::

    draft --submit (rep)--> submitted --confirm (manager)--> confirmed (locked)
                                      --return (manager, comment)--> returned
    returned --save / submit (rep)--> submitted (counted as a resubmission)
    confirmed --amend--> a new revision (draft) of the same month

The people:

- the rep fills in their own form, the newest revision while it is a draft or returned;
- the rep's manager (a manager whose ``team_ids`` hold the form's team) confirms or returns a
  submitted form, never their own;
- the rep or their manager starts a month's form and amends a confirmed one (the newest
  revision; the confirmed revision stays as it was signed);
- an admin may do all of that; leaders read everything and change nothing.

Who may *read* a form is a query condition (``queries``): a form the viewer may not read is
simply not found.
"""

from __future__ import annotations

from typing import Protocol

from salesboard.accounts.access import Viewer
from salesboard.store.models import Role

STATUSES = ("draft", "submitted", "confirmed", "returned")
EDITABLE_STATUSES = frozenset({"draft", "returned"})


class FormFacts(Protocol):
    """What the rules look at: a ``queries.FormView`` has it."""

    rep_id: int
    team_id: int | None
    status: str

    @property
    def is_latest(self) -> bool: ...


def fills_in(viewer: Viewer, rep_id: int) -> bool:
    """The one who writes and submits the rep's form: the rep themself (while a rep) or an
    admin."""
    return viewer.is_admin or (viewer.role == Role.REP and viewer.user_id == rep_id)


def reviews_team(viewer: Viewer, team_id: int | None) -> bool:
    """Whether ``viewer`` reviews the forms of ``team_id``: its manager, or an admin."""
    return viewer.is_admin or (viewer.role == Role.MANAGER and team_id in viewer.team_ids)


def is_open_for_editing(form: FormFacts) -> bool:
    """A draft or returned form that is the newest revision of its month (a superseded
    revision is what was signed and stays so)."""
    return form.status in EDITABLE_STATUSES and form.is_latest


def may_start(viewer: Viewer, rep_id: int, team_id: int | None) -> bool:
    """Whether ``viewer`` may open a new month's form for the rep in ``team_id``: the rep,
    their manager or an admin."""
    return fills_in(viewer, rep_id) or reviews_team(viewer, team_id)


def may_edit(viewer: Viewer, form: FormFacts) -> bool:
    """Whether ``viewer`` may change and submit ``form`` now: the rep (or an admin), on the
    newest revision while it is a draft or returned."""
    return fills_in(viewer, form.rep_id) and is_open_for_editing(form)


def may_review(viewer: Viewer, form: FormFacts) -> bool:
    """Whether ``viewer`` may confirm or return ``form`` now: the rep's manager (or an admin)
    while it is submitted, and never the rep themself."""
    return (
        form.status == "submitted"
        and viewer.user_id != form.rep_id
        and reviews_team(viewer, form.team_id)
    )


def may_amend(viewer: Viewer, form: FormFacts) -> bool:
    """Whether ``viewer`` may open an amendment of ``form``: a confirmed newest revision, by
    the people who may start the rep's form."""
    return (
        form.status == "confirmed"
        and form.is_latest
        and may_start(viewer, form.rep_id, form.team_id)
    )
