"""``make run`` on a company's own store (issue 14 item 6): ``init-db`` marks the store as the
company's, so ``make run``'s ``demo --if-empty`` leaves it empty for the setup checklist,
while a store nobody set up still gets the demo."""

from __future__ import annotations

from salesboard.cli.main import main
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.queries import has_opportunities
from salesboard.store.reference_data import is_company_store


def has_deals(url: str) -> bool:
    engine = create_store_engine(url)
    try:
        with read_session(engine) as session:
            return has_opportunities(session)
    finally:
        engine.dispose()


def test_make_runs_demo_step_leaves_a_company_store_alone(tmp_path, capsys):
    own = f"sqlite:///{tmp_path / 'own.db'}"
    assert main(["--database-url", own, "init-db"]) == 0
    assert main(["--database-url", own, "demo", "--if-empty", "--size", "small"]) == 0
    assert "adds no demo" in capsys.readouterr().out
    assert not has_deals(own)
    engine = create_store_engine(own)
    with read_session(engine) as session:
        assert is_company_store(session)
    engine.dispose()

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["--database-url", fresh, "demo", "--if-empty", "--size", "small"]) == 0
    assert has_deals(fresh)
