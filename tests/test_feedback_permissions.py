"""Who may start, edit (save and submit), review (confirm or return) and amend a feedback
form, per role and form state: first the predicates of ``feedback.permissions`` as a table,
then the same table through the real workflow on both backends, so the store enforces
exactly what the pages offer.

The pages used to carry their own copy of these rules, which differed from the store's:
the start button showed for every role but leaders (the store lets only the rep, their
manager and admins start a form), the amend button for anyone with the rep's user id
whatever their role now is, and the store, unlike the page, let a superseded revision be
edited. The tests named after those cases hold the one rule now.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from salesboard.accounts.access import PermissionDenied, Viewer, load_viewer
from salesboard.feedback import workflow
from salesboard.feedback.permissions import (
    is_open_for_editing,
    may_amend,
    may_edit,
    may_review,
    may_start,
)
from salesboard.feedback.queries import FormView, find_form
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role, Team, TeamManager
from tests.builders import add_team, add_user

ALICE, MIA = 10, 20
TEAM, OTHER_TEAM = 1, 2
# Viewers relative to Alice's form (team 1): ``former_rep`` is Alice's user after she was
# made manager of another team.
VIEWERS = {
    "rep": Viewer(ALICE, "alice", "alice", Role.REP, (TEAM,)),
    "colleague": Viewer(11, "bob", "bob", Role.REP, (TEAM,)),
    "other_rep": Viewer(12, "carl", "carl", Role.REP, (OTHER_TEAM,)),
    "manager": Viewer(MIA, "mia", "mia", Role.MANAGER, (TEAM,)),
    "other_manager": Viewer(21, "max", "max", Role.MANAGER, (OTHER_TEAM,)),
    "leader": Viewer(30, "lena", "lena", Role.LEADER),
    "admin": Viewer(40, "admin", "admin", Role.ADMIN),
    "former_rep": Viewer(ALICE, "alice", "alice", Role.MANAGER, (OTHER_TEAM,)),
}
# Form states: (status, revision, newest revision of the month).
STATES = {
    "draft": ("draft", 1, 1),
    "submitted": ("submitted", 1, 1),
    "returned": ("returned", 1, 1),
    "confirmed": ("confirmed", 1, 1),
    "superseded": ("confirmed", 1, 2),  # confirmed, then amended by revision 2
    "amendment": ("draft", 2, 2),
}
# What each viewer may do with Alice's form, by state.
MAY_EDIT = {
    "rep": {"draft", "returned", "amendment"},
    "admin": {"draft", "returned", "amendment"},
}
MAY_REVIEW = {"manager": {"submitted"}, "admin": {"submitted"}}
MAY_AMEND = {"rep": {"confirmed"}, "manager": {"confirmed"}, "admin": {"confirmed"}}
MAY_START = {"rep", "manager", "admin"}

STAMP = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def alices_form(state: str) -> FormView:
    """Alice's October form in ``state`` (a real ``FormView``, as the pages get it)."""
    status, revision, latest = STATES[state]
    return FormView(
        id=1, rep_id=ALICE, rep_name="alice", period="2026-10", revision=revision,
        team_id=TEAM, team_name="一组", manager_id=MIA, manager_name="mia", status=status,
        version=3, body={}, submissions=1, created_at=STAMP, updated_at=STAMP,
        updated_by_name="alice", submitted_at=None, submitted_by_name="", confirmed_at=None,
        confirmed_by_name="", returned_at=None, returned_by_name="", return_comment="",
        latest_revision=latest,
    )  # fmt: skip


CASES = [(who, state) for who in VIEWERS for state in STATES]


@pytest.mark.parametrize(("who", "state"), CASES)
def test_who_may_edit_review_and_amend_in_each_state(who, state):
    viewer, form = VIEWERS[who], alices_form(state)
    assert may_edit(viewer, form) == (state in MAY_EDIT.get(who, set()))
    assert may_review(viewer, form) == (state in MAY_REVIEW.get(who, set()))
    assert may_amend(viewer, form) == (state in MAY_AMEND.get(who, set()))


@pytest.mark.parametrize("who", VIEWERS)
def test_who_may_start_a_reps_form(who):
    assert may_start(VIEWERS[who], ALICE, TEAM) == (who in MAY_START)


def test_a_colleague_may_not_start_a_reps_form():
    # The page offered the start button to every role but leaders.
    assert not may_start(VIEWERS["colleague"], ALICE, TEAM)
    assert not may_start(VIEWERS["other_manager"], ALICE, TEAM)


def test_a_former_rep_no_longer_amends_their_old_form_outside_the_teams_they_manage():
    # The page let the rep's user id amend whatever their role; the store asks for the rep
    # (still a rep), the form team's manager or an admin.
    confirmed = alices_form("confirmed")
    assert not may_amend(VIEWERS["former_rep"], confirmed)
    in_team = replace(VIEWERS["former_rep"], team_ids=(TEAM,))
    assert may_amend(in_team, confirmed)  # as the team's manager, not as its rep
    assert not may_review(in_team, alices_form("submitted"))  # never their own form


def test_a_superseded_revision_stays_as_signed_whatever_its_status():
    # Only the newest revision of a month is open: what was signed is changed by amendment.
    old_draft = replace(alices_form("draft"), latest_revision=2)
    assert not is_open_for_editing(old_draft)
    assert not may_edit(VIEWERS["rep"], old_draft)
    assert not may_edit(VIEWERS["admin"], old_draft)


def test_a_rep_without_a_team_is_started_by_themself_or_an_admin():
    assert may_start(VIEWERS["rep"], ALICE, None)
    assert may_start(VIEWERS["admin"], ALICE, None)
    assert not may_start(VIEWERS["manager"], ALICE, None)


# --- the same table through the workflow on a real store ------------------------------------


class _Undo(Exception):
    """Raised inside a write session to roll back a step that went through."""


def went_through(engine, step) -> bool:
    """Whether ``step(session)`` is accepted by the store (its writes are rolled back)."""
    try:
        with write_session(engine) as session:
            step(session)
            raise _Undo
    except _Undo:
        return True
    except (PermissionDenied, workflow.FormError):
        return False


@pytest.fixture
def forms_in_every_state(engine):
    """Team 1 (manager mia; reps alice, bob, dave, erin, fay and gus) and team 2 (manager
    max, rep carl); October forms: alice draft, bob submitted, dave returned, erin
    confirmed, fay confirmed and amended (revision 1 superseded, revision 2 a draft)."""
    add_team(engine)
    with write_session(engine) as s:
        s.add(Team(id=OTHER_TEAM, name="二组", region_id=1))
    ids = {name: add_user(engine, name, Role.REP, team_id=TEAM)
           for name in ("alice", "bob", "dave", "erin", "fay", "gus")}  # fmt: skip
    ids["carl"] = add_user(engine, "carl", Role.REP, team_id=OTHER_TEAM)
    ids["mia"] = add_user(engine, "mia", Role.MANAGER, team_id=TEAM)
    ids["max"] = add_user(engine, "max", Role.MANAGER, team_id=OTHER_TEAM)
    ids["lena"] = add_user(engine, "lena", Role.LEADER)
    ids["admin"] = add_user(engine, "root", Role.ADMIN)
    with write_session(engine) as s:
        s.add_all([TeamManager(team_id=TEAM, user_id=ids["mia"]),
                   TeamManager(team_id=OTHER_TEAM, user_id=ids["max"])])  # fmt: skip
    with read_session(engine) as s:
        people = {name: load_viewer(s, user_id) for name, user_id in ids.items()}
    mia = people["mia"]

    def step(fn, *args):
        with write_session(engine) as s:
            return fn(s, *args)

    steps = {"bob": ("submit",), "dave": ("submit", "return"), "erin": ("submit", "confirm"),
             "fay": ("submit", "confirm", "amend")}  # fmt: skip
    forms = {}
    for name in ("alice", "bob", "dave", "erin", "fay"):
        rep = people[name]
        form = step(workflow.start_form, rep, rep.user_id, "2026-10")
        body = form.body
        for row in body["kpis"]:
            row["reason"] = "原因"  # every KPI explained: the form may be submitted
        form = step(workflow.save_draft, rep, form.id, form.version, body)
        forms[name] = form
        for action in steps.get(name, ()):
            if action == "submit":
                form = step(workflow.submit, rep, form.id, form.version)
            elif action == "return":
                form = step(workflow.return_form, mia, form.id, form.version, "请补充")
            elif action == "confirm":
                form = step(workflow.confirm, mia, form.id, form.version)
            else:
                forms["superseded"] = form
                form = step(workflow.amend, rep, form.id)
            forms[name] = form
    by_state = {"draft": "alice", "submitted": "bob", "returned": "dave", "confirmed": "erin",
                "amendment": "fay"}  # fmt: skip
    with read_session(engine) as s:
        admin = people["admin"]
        states = {
            state: find_form(s, admin, forms[rep].rep_id, "2026-10")
            for state, rep in by_state.items()
        }
        old = forms["superseded"]
        states["superseded"] = find_form(s, admin, old.rep_id, "2026-10", revision=old.revision)
    assert {
        state: (f.status, f.revision, f.latest_revision) for state, f in states.items()
    } == STATES
    return people, states


def _viewers_for(people: dict[str, Viewer], form: FormView) -> dict[str, Viewer]:
    """The table's viewers for ``form``: its rep, a colleague in the team, a rep and a
    manager of the other team, the team's manager, a leader, an admin."""
    rep = next(v for v in people.values() if v.user_id == form.rep_id)
    return {"rep": rep, "colleague": people["gus"], "other_rep": people["carl"],
            "manager": people["mia"], "other_manager": people["max"],
            "leader": people["lena"], "admin": people["admin"]}  # fmt: skip


def test_the_workflow_allows_exactly_what_the_predicates_say(engine, forms_in_every_state):
    people, states = forms_in_every_state
    outcomes, predicted = {}, {}
    for state, form in states.items():
        for who, viewer in _viewers_for(people, form).items():
            attempts = {
                "edit": lambda s, v=viewer, f=form: workflow.save_draft(s, v, f.id, f.version, f.body),
                "submit": lambda s, v=viewer, f=form: workflow.submit(s, v, f.id, f.version),
                "confirm": lambda s, v=viewer, f=form: workflow.confirm(s, v, f.id, f.version),
                "return": lambda s, v=viewer, f=form: workflow.return_form(s, v, f.id, f.version, "x"),
                "amend": lambda s, v=viewer, f=form: workflow.amend(s, v, f.id),
            }  # fmt: skip
            for action, attempt in attempts.items():
                outcomes[state, who, action] = went_through(engine, attempt)
            rule = {"edit": may_edit, "submit": may_edit, "confirm": may_review,
                    "return": may_review, "amend": may_amend}  # fmt: skip
            for action, predicate in rule.items():
                predicted[state, who, action] = predicate(viewer, form)
    assert outcomes == predicted
    # And both are the table above (the rep's own form: "rep" is each form's rep).
    expected = {"edit": MAY_EDIT, "submit": MAY_EDIT, "confirm": MAY_REVIEW,
                "return": MAY_REVIEW, "amend": MAY_AMEND}  # fmt: skip
    for (state, who, action), allowed in outcomes.items():
        assert allowed == (state in expected[action].get(who, set())), (state, who, action)


def test_the_workflow_starts_a_form_for_exactly_whom_the_predicate_says(
    engine, forms_in_every_state
):
    people, states = forms_in_every_state
    alice = states["draft"]
    for who, viewer in _viewers_for(people, alice).items():
        started = went_through(
            engine, lambda s, v=viewer: workflow.start_form(s, v, alice.rep_id, "2026-11")
        )
        assert started == may_start(viewer, alice.rep_id, alice.team_id) == (who in MAY_START), who
