"""Two writers at once on PostgreSQL (READ COMMITTED): the second must wait for a lock the
first holds, then finish — the shape of every test that a trigger or a recomputation does
not lose or double a concurrent write."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine

WAIT_SECONDS = 1.0  # the second writer must still be waiting after this long


def second_waits_for_first(
    engine: Engine, first: Callable[[Connection], object], second: Callable[[Connection], object]
) -> None:
    """``first(conn)`` writes in a transaction left open; ``second(conn)`` then writes on
    another connection in its own transaction (lock timeout 20 s) from a thread and must
    still be waiting ``WAIT_SECONDS`` later; the first commits, the second finishes and
    commits. Whatever the second raised is raised here."""
    holder, waiter = engine.connect(), engine.connect()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with waiter.begin():
                waiter.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
                second(waiter)
        except BaseException as exc:  # noqa: BLE001 - raised below, in the test's thread
            failures.append(exc)

    try:
        holder.begin()
        first(holder)
        waiting = threading.Thread(target=run)
        waiting.start()
        time.sleep(WAIT_SECONDS)
        assert waiting.is_alive(), "the second writer did not wait for the first"
        holder.commit()
        waiting.join(30)
    finally:
        holder.close()
        waiter.close()
    if failures:
        raise failures[0]
