"""The tables, one module per area; importing this package registers every table on the
one ``metadata`` (Alembic and ``schema`` rely on it), so callers import names from here.

- ``base``: metadata with named constraints, UTC stamps, money columns, the enumerations;
- ``organisation``: regions, teams, users, team managers, product lines, customer types,
  lead sources, customers;
- ``sales``: stages, opportunities, stage history, key actions, visits, collections, events,
  deal code sequences, lost reasons, attachments;
- ``goals``: the goal tree; ``company``: calendar overrides and app settings;
- ``accounts``: sign-in sessions and the audit log; ``feedback``: monthly forms;
- ``evaluation``: scorecard weight sets, saved scorecards, deal ratings; ``assessment``:
  opportunity assessments (five dimensions) and their scores;
- ``importing``: column mappings, the import log and undo; ``improvement``: improvement
  actions, their pilots and history, best practices; ``support``: departments, support types
  and requests (issue 17); ``indexes``: covering indexes; ``rollups``: per-day aggregates of
  the deals kept in step by triggers (issue 19);
- ``leads``: leads, their scoring criteria, assignment rules, round-robin cursors, API tokens.
"""

from salesboard.store.models import indexes  # noqa: E402,I001  (registers the covering indexes)
from salesboard.store.models.accounts import AuditLog, AuthSession
from salesboard.store.models.assessment import DealAssessment, DealAssessmentScore
from salesboard.store.models.base import (
    LOWER_IS_BETTER_METRICS,
    MONEY_METRICS,
    GoalMetric,
    GoalScope,
    OpportunityStatus,
    Role,
    StageKind,
    metadata,
    money_column,
    utcnow,
)
from salesboard.store.models.company import AppSetting, CalendarOverride
from salesboard.store.models.evaluation import (
    RATING_KINDS,
    RATING_MAX,
    RATING_MIN,
    DealRating,
    Scorecard,
    WeightSet,
)
from salesboard.store.models.feedback import FeedbackForm, ImprovementItem
from salesboard.store.models.goals import Goal
from salesboard.store.models.improvement import (
    BestPractice,
    ImprovementAction,
    ImprovementHistory,
    ImprovementPilot,
    ImprovementPractice,
    PracticeFile,
)
from salesboard.store.models.importing import (
    ImportBatch,
    ImportChange,
    ImportStatus,
    ImportTemplate,
)
from salesboard.store.models.leads import (
    Lead,
    LeadApiToken,
    LeadAssignmentRule,
    LeadScoreCriterion,
    LeadTeamCursor,
)
from salesboard.store.models.organisation import (
    Customer,
    CustomerValueWindow,
    CustomerType,
    LeadSource,
    ProductLine,
    Region,
    Team,
    TeamManager,
    User,
)
from salesboard.store.models.rollups import (
    COHORT_MAX_STAGE_ID,
    NO_CLOSE_MONTH,
    PIPELINE_REACH_DAYS,
    CohortRollup,
    DealRollup,
    KeyActionRollup,
    MonthOffset,
    OpenPipeline,
    PipelineKind,
    RollupKind,
    TeamCustomer,
    Workday,
)
from salesboard.store.models.support import (
    Department,
    DepartmentMember,
    SupportHistory,
    SupportRequest,
    SupportType,
)
from salesboard.store.models.sales import (
    Attachment,
    CodeSequence,
    Collection,
    KeyAction,
    LostReason,
    Opportunity,
    OpportunityEvent,
    OpportunityEventKind,
    Stage,
    StageHistory,
    Visit,
    VisitStatus,
)

__all__ = [
    "RATING_KINDS",
    "RATING_MAX",
    "RATING_MIN",
    "DealAssessment",
    "DealAssessmentScore",
    "DealRating",
    "COHORT_MAX_STAGE_ID",
    "CohortRollup",
    "CustomerValueWindow",
    "DealRollup",
    "KeyActionRollup",
    "NO_CLOSE_MONTH",
    "MonthOffset",
    "OpenPipeline",
    "PipelineKind",
    "PIPELINE_REACH_DAYS",
    "RollupKind",
    "TeamCustomer",
    "Workday",
    "Department",
    "DepartmentMember",
    "SupportHistory",
    "SupportRequest",
    "SupportType",
    "Scorecard",
    "WeightSet",
    "LOWER_IS_BETTER_METRICS",
    "MONEY_METRICS",
    "AppSetting",
    "Attachment",
    "AuditLog",
    "AuthSession",
    "BestPractice",
    "CalendarOverride",
    "CodeSequence",
    "Collection",
    "Customer",
    "CustomerType",
    "FeedbackForm",
    "Goal",
    "GoalMetric",
    "GoalScope",
    "ImportBatch",
    "ImportChange",
    "ImportStatus",
    "ImportTemplate",
    "ImprovementAction",
    "ImprovementHistory",
    "ImprovementItem",
    "ImprovementPilot",
    "ImprovementPractice",
    "KeyAction",
    "Lead",
    "LeadApiToken",
    "LeadAssignmentRule",
    "LeadScoreCriterion",
    "LeadSource",
    "LeadTeamCursor",
    "LostReason",
    "Opportunity",
    "OpportunityEvent",
    "OpportunityEventKind",
    "OpportunityStatus",
    "PracticeFile",
    "ProductLine",
    "Region",
    "Role",
    "Stage",
    "StageHistory",
    "StageKind",
    "Team",
    "TeamManager",
    "User",
    "Visit",
    "VisitStatus",
    "indexes",
    "metadata",
    "money_column",
    "utcnow",
]
