"""Time: what "today" is, working days (public holidays, 调休, company days off)
and reporting periods."""
