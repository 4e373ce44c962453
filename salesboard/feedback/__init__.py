"""The monthly performance feedback form (业绩跟踪与反馈表, DOMAIN.md §4, seed 003).

- ``config``: which KPIs the form shows, their category, direction and weight;
- ``actuals``: the live figures a form is prefilled with;
- ``form``: the form body and the pure rules on it (units, typed cells, editor changes,
  derived figures, validation before submission);
- ``changes``: field-level differences between two bodies and the merge after a refused save;
- ``permissions``: the workflow's states and who may start, edit, review and amend a form;
- ``prefill``: a new form's body from the store (KPIs, suggested actions, carried items);
- ``improvement_items``: the improvement plan mirrored into rows and carried month to month;
- ``queries``: reading forms (``FormView``), the reps a viewer may open, the team overview;
- ``workflow``: creating forms, autosaved drafts with the version check, the sign-off steps;
- ``report``: the filled form as printable HTML, XLSX and JSON (and the CLI report).

The demo company's forms are written by ``salesboard.demo.forms``.
"""
