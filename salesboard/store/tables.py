"""The Core tables of the models under the short names the query modules write SQL with
(``OPP.c.amount_minor``, ``STAGE.c.id == OPP.c.current_stage_id``), named once here."""

from salesboard.store import models as m

OPP = m.Opportunity.__table__
STAGE = m.Stage.__table__
HISTORY = m.StageHistory.__table__
ACTION = m.KeyAction.__table__
EVENT = m.OpportunityEvent.__table__
VISIT = m.Visit.__table__
ATTACHMENT = m.Attachment.__table__
SEQUENCE = m.CodeSequence.__table__
LOST_REASON = m.LostReason.__table__

# A visit that happened (not a plan): what every visit figure and the activity clock count.
VISIT_DONE = VISIT.c.status == m.VisitStatus.DONE
COLLECTION = m.Collection.__table__
CUSTOMER = m.Customer.__table__
PRODUCT_LINE = m.ProductLine.__table__
USER = m.User.__table__
TEAM = m.Team.__table__
MANAGER = m.TeamManager.__table__
GOAL = m.Goal.__table__
AUDIT = m.AuditLog.__table__
FORM = m.FeedbackForm.__table__
ITEM = m.ImprovementItem.__table__
BATCH = m.ImportBatch.__table__
CHANGE = m.ImportChange.__table__
WEIGHT_SET = m.WeightSet.__table__
SCORECARD = m.Scorecard.__table__
RATING = m.DealRating.__table__
ASSESSMENT = m.DealAssessment.__table__
ASSESSMENT_SCORE = m.DealAssessmentScore.__table__
IMPROVEMENT = m.ImprovementAction.__table__
PILOT = m.ImprovementPilot.__table__
IMPROVEMENT_HISTORY = m.ImprovementHistory.__table__
PRACTICE = m.BestPractice.__table__
ACTION_PRACTICE = m.ImprovementPractice.__table__
PRACTICE_FILE = m.PracticeFile.__table__
DEPARTMENT = m.Department.__table__
MEMBER = m.DepartmentMember.__table__
SUPPORT_TYPE = m.SupportType.__table__
SUPPORT = m.SupportRequest.__table__
SUPPORT_HISTORY = m.SupportHistory.__table__
LEAD = m.Lead.__table__
LEAD_CRITERION = m.LeadScoreCriterion.__table__
LEAD_RULE = m.LeadAssignmentRule.__table__
LEAD_CURSOR = m.LeadTeamCursor.__table__
LEAD_TOKEN = m.LeadApiToken.__table__
ROLLUP = m.DealRollup.__table__
PIPELINE = m.OpenPipeline.__table__
ACTION_ROLLUP = m.KeyActionRollup.__table__
VALUE_WINDOW = m.CustomerValueWindow.__table__
COHORT = m.CohortRollup.__table__
TEAM_CUSTOMER = m.TeamCustomer.__table__
MONTH_OFFSET = m.MonthOffset.__table__
WORKDAY = m.Workday.__table__
