"""Streamlit side of the monthly feedback form and the team's feedback view, one module per
part of the page (the pages in ``pages/feedback_*.py`` lay them out):

- ``pickers``: the month and rep pickers bound to the URL;
- ``autosave``: this browser session's copy of a form and the save on every change;
- ``header``: basic information, status and last save; the sign-off;
- ``sections``: the four sections in order, built on ``grid`` (editable or read-only table)
  from ``kpi_table`` (KPIs, hand-changed actuals, refreshing the prefill), ``key_actions``
  and ``improvement_plan`` (this month's plan and the carried-over items);
- ``problems``: field-level messages;
- ``change_panels``: the merge after a refused save, an amendment's differences;
- ``workflow_buttons``: start, submit, confirm / return, amend — as ``feedback.permissions``
  allows;
- ``downloads``: HTML / XLSX / JSON;
- ``labels``: times, units and field names the parts share;
- ``team``: the manager's month overview; ``metric_settings``: the admins' KPI settings.
"""
