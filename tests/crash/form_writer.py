"""Saves one feedback form's draft over and over until killed: the victim of
``tests/test_crash_form_save.py``. Every save rewrites the whole body and its 50 improvement
items tagged with the version it creates, and prints that version once committed.

Usage: python -m tests.crash.form_writer DATABASE_URL FORM_ID REP_ID
"""

from __future__ import annotations

import sys

from salesboard.accounts.access import load_viewer
from salesboard.feedback import queries, workflow
from salesboard.feedback.form import MAX_ROWS
from salesboard.store.db import create_store_engine, read_session, write_session


def tagged_body(body: dict, version: int) -> dict:
    """``body`` with the KPI reason and every improvement item marked ``v<version>``."""
    body = dict(body)
    body["kpis"] = [dict(row) for row in body["kpis"]]
    body["kpis"][0]["reason"] = f"v{version}"
    body["items"] = [
        {"key": f"k{i}", "problem": f"v{version}-{i} " + "问题" * 100, "cause_category": "market",
         "cause": "价格", "measure": "重新报价", "owner": "rep", "status": "in_progress"}
        for i in range(MAX_ROWS)
    ]  # fmt: skip
    return body


def main(url: str, form_id: int, rep_id: int) -> None:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        rep = load_viewer(s, rep_id)
    while True:
        with read_session(engine) as s:
            form = queries.get_form(s, rep, form_id)
        with write_session(engine) as s:
            saved = workflow.save_draft(
                s, rep, form_id, form.version, tagged_body(form.body, form.version + 1)
            )
        print(saved.version, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
