"""Pure sales metrics (no database, no Streamlit): attainment, change, funnel, durations."""

from salesboard.metrics.attainment import attainment, pace, time_elapsed_share, win_rate
from salesboard.metrics.change import period_change
from salesboard.metrics.durations import (
    days_in_stage,
    days_over,
    overdue_mask,
    overdue_opportunities,
    stage_durations,
    weighted_duration_stats,
)
from salesboard.metrics.funnel import (
    funnel_conversion,
    funnel_table,
    overall_conversion,
    same_deal_conversion,
)

__all__ = [
    "attainment",
    "days_in_stage",
    "days_over",
    "funnel_conversion",
    "funnel_table",
    "overall_conversion",
    "overdue_mask",
    "overdue_opportunities",
    "pace",
    "period_change",
    "same_deal_conversion",
    "stage_durations",
    "time_elapsed_share",
    "weighted_duration_stats",
    "win_rate",
]
