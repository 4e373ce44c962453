"""The working pages' render times (AppTest through the entry point): the deal page (the
workspace of a busy deal), New deal and Visits, for a rep and for an admin, cold (query
cache cleared) and warm (same session, a widget touched).

Usage: python benchmarks/bench_deal_pages.py [--size small|default|large] [--url URL] [--runs 5]
Prints figures; asserts nothing (speed targets live here, not in timed tests).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import arguments, signed_in_app, store_url  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from salesboard.store.db import create_store_engine  # noqa: E402
from salesboard.store.models import OpportunityStatus, Role  # noqa: E402
from salesboard.store.tables import ACTION, OPP, USER  # noqa: E402

PAGES = ("pages/opportunity_detail.py", "pages/deal_new.py", "pages/visit_log.py")


def busy_deal(url: str) -> tuple[str, str]:
    """(rep, code): the open deal with the most key actions (a long timeline), and its rep."""
    engine = create_store_engine(url)
    with Session(engine) as s:
        deal_id = s.execute(
            select(ACTION.c.opportunity_id).join(OPP, OPP.c.id == ACTION.c.opportunity_id)
            .where(OPP.c.status == OpportunityStatus.OPEN, OPP.c.id > s.execute(
                select(func.max(OPP.c.id))).scalar_one() - 5000)
            .group_by(ACTION.c.opportunity_id).order_by(func.count().desc()).limit(1)
        ).scalar_one()  # fmt: skip
        rep, code = s.execute(
            select(USER.c.username, OPP.c.code).join(USER, USER.c.id == OPP.c.owner_id)
            .where(OPP.c.id == deal_id, USER.c.role == Role.REP)
        ).one()  # fmt: skip
    engine.dispose()
    return rep, code


def main() -> None:
    from salesboard.ui import clear_cached

    args = arguments()
    url = store_url(args)
    rep, code = busy_deal(url)
    print(f"deal {code} of {rep}")
    print(f"{'page (AppTest)':34s} {'cold':>10s} {'warm':>10s}")
    for user in (rep, "admin"):
        for page in PAGES:
            cold, warm = [], []
            for _ in range(args.runs):
                at = signed_in_app(url, user)
                at.query_params["code"] = code
                at.run()
                clear_cached()
                started = time.perf_counter()
                at.switch_page(page).run()
                cold.append(time.perf_counter() - started)
                assert not at.exception, [e.value for e in at.exception]
                assert at.title, f"{page} drew nothing"
                started = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - started)
            label = f"{Path(page).stem} ({'rep' if user == rep else 'admin'})"
            print(f"{label:34s} {statistics.median(cold):8.2f} s {statistics.median(warm):8.2f} s")


if __name__ == "__main__":
    main()
