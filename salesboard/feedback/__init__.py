"""The monthly performance feedback form (业绩跟踪与反馈表, DOMAIN.md §4, seed 003).

- ``config``: which KPIs the form shows, their category, direction and weight;
- ``actuals``: the live figures a form is prefilled with;
- ``form``: the form body and the pure rules on it (editor changes, validation, diff);
- ``store``: forms in the store, autosaved drafts, the sign-off workflow, improvement items;
- ``report``: the filled form as printable HTML, XLSX and JSON (and the CLI report);
- ``demo_forms``: last months' forms for the demo company.
"""
