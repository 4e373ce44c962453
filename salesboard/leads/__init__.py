"""Leads (线索, issue 17, seed 002): leads before they become opportunities — scoring,
assignment on arrival, time to assign in working hours, conversion and rejection."""
