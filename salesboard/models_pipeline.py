"""Indexes the pipeline review needs (issue 3), kept apart from the shared model classes.

- stage stays by stage and the day they ended: durations and stage KPIs per period read
  only the index (covering, with the deal for filters), already in ``GROUP BY`` order;
- stage stays by deal: a deal's furthest stage (cohort funnel), its stage on a given day
  (week-over-week moves) and a team's stays (durations) without touching the table;
- deals by team and creation day: a manager's cohort is an index range.
"""

from sqlalchemy import Index

from salesboard.models import Opportunity, StageHistory

_HISTORY = StageHistory.__table__
_OPP = Opportunity.__table__

PIPELINE_INDEXES = (
    Index(
        "ix_stage_history_stage_left",
        _HISTORY.c.stage_id,
        _HISTORY.c.left_on,
        _HISTORY.c.entered_on,
    ),
    Index("ix_stage_history_opportunity_stage", _HISTORY.c.opportunity_id, _HISTORY.c.stage_id),
    Index("ix_opportunity_team_created", _OPP.c.team_id, _OPP.c.created_on),
)
