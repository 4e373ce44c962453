"""a team's deals by status, won day and customer; a customer's won deals with the deal id;
leads by arrival, covering the conversion chart; rollup deals by kind, day and stage

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 02:00:00

Issue 19: a manager's customers (list, matrix, region page) come into sight through their
teams' deals, and their value and open pipeline are sums of those deals per customer. On
PostgreSQL at 10M deals the team's customers were a scan of the whole opportunity table
(0.4 s, three times per list page) and the team's won deals of the value window a lossy
bitmap over two indexes (0.9 s); this index answers all three from its entries alone
(0.03 s, 0.04 s). With the id last it also hands over a team's deal ids, which a manager's
key actions are joined to (1.07 → 0.62 s). It replaces nothing: ix_opportunity_team_status
still serves a team's open deals by stage.

Is a won deal its customer's first (new customers)? One seek per won deal on the customer's
won deals by day; on PostgreSQL the deal id, which settles ties on the same day, meant a
heap read per deal: with it in the index the seek reads the index alone (a month's new
customers at 10M deals 1.03 s → 0.46 s). SQLite's indexes carry the id anyway.

The goal forecast's stage win rates sum the deals won and lost per day and stage over a
year of rollups, four times a page: on PostgreSQL, whose table keeps rows in write order,
that was a scan of the whole rollup table (0.42 s at 10M deals); this index alone answers it
(0.08 s). SQLite keeps the table clustered by its key already (1M: 0.061 → 0.055 s).

The lead conversion chart counts a year of leads by month, source and status: with the
arrival index alone SQLite looked up every lead (0.21 s for a leader at 1M deals); with
source, status and the columns a manager's and a rep's scope test in the index it reads the
index only (leader 0.08 s, manager 0.034 → 0.019 s). The wider index serves every use of
the arrival index it replaces.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_COLUMNS = ["team_id", "status", "won_on", "customer_id", "amount_minor", "id"]
FIRST_WON = ["customer_id", "status", "won_on"]
ROLLUP_COLUMNS = ["kind", "day", "stage_id", "deals"]
LEAD_COLUMNS = ["received_at", "source", "status", "team_id", "assigned_to"]


def upgrade() -> None:
    op.create_index("ix_opportunity_team_won_customer", "opportunity", TEAM_COLUMNS)
    op.drop_index("ix_opportunity_customer_won", table_name="opportunity")
    op.create_index("ix_opportunity_customer_won", "opportunity", [*FIRST_WON, "id"])
    op.drop_index("ix_lead_received_at", table_name="lead")
    op.create_index("ix_lead_received_covering", "lead", LEAD_COLUMNS)
    op.create_index("ix_deal_rollup_kind_day_stage_deals", "deal_rollup", ROLLUP_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_deal_rollup_kind_day_stage_deals", table_name="deal_rollup")
    op.drop_index("ix_lead_received_covering", table_name="lead")
    op.create_index("ix_lead_received_at", "lead", ["received_at"])
    op.drop_index("ix_opportunity_customer_won", table_name="opportunity")
    op.create_index("ix_opportunity_customer_won", "opportunity", FIRST_WON)
    op.drop_index("ix_opportunity_team_won_customer", table_name="opportunity")
