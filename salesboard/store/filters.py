"""Filters shared by the analysis pages (region, team, rep, product line, customer type,
lead source), applied inside SQL so only the matching rows ever leave the database."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import Select, false, select

from salesboard.store.tables import CUSTOMER, OPP, ROLLUP


@dataclass(frozen=True)
class OpportunityFilter:
    """Which opportunities an analysis covers; an empty tuple means "all"."""

    region_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    owner_ids: tuple[int, ...] = ()
    product_line_ids: tuple[int, ...] = ()
    customer_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # Set when access rules leave nothing visible (e.g. a rep asking for a colleague's deals).
    nothing: bool = False

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any(getattr(self, f.name) for f in fields(self))

    def apply(self, query: Select) -> Select:
        """``query`` (which selects from ``opportunity``) restricted to the filter."""
        if self.nothing:
            return query.where(false())
        query = self._dimensions(query, OPP)
        if self.sources:
            query = query.where(OPP.c.source.in_(self.sources))
        if self.customer_types:
            # A semi-join keeps the outer query's grouping untouched.
            query = query.where(
                OPP.c.customer_id.in_(
                    select(CUSTOMER.c.id).where(CUSTOMER.c.customer_type.in_(self.customer_types))
                )
            )
        return query

    @property
    def rollups_can_answer(self) -> bool:
        """Whether the per-day rollups can be read under this filter: they keep a deal's
        region, team, owner and product line, not its source or customer type."""
        return not (self.sources or self.customer_types)

    def apply_to_rollups(self, query: Select, table=ROLLUP) -> Select:
        """``query`` (which selects from ``deal_rollup``, or ``table``: another aggregate
        keeping those of the deal's dimensions the filter names) restricted to the filter;
        only when ``rollups_can_answer``."""
        if not self.rollups_can_answer:
            raise ValueError("the rollups keep no deal source or customer type")
        if self.nothing:
            return query.where(false())
        return self._dimensions(query, table)

    @property
    def copies_can_answer(self) -> bool:
        """Whether rows carrying a copy of their deal's owner and team (instalments, ratings,
        key actions: ``store.deal_copies``) can be narrowed by the copy: only owners and
        teams filter."""
        return not (self.region_ids or self.product_line_ids or self.sources
                    or self.customer_types)  # fmt: skip

    def apply_to_copies(self, query: Select, owner, team) -> Select:
        """``query`` restricted to the filter on the copy of the deal's ``owner`` and
        ``team`` (columns of the rows it reads); only when ``copies_can_answer``."""
        if not self.copies_can_answer:
            raise ValueError("the copies keep only the deal's owner and team")
        if self.nothing:
            return query.where(false())
        if self.team_ids:
            query = query.where(team.in_(self.team_ids))
        if self.owner_ids:
            query = query.where(owner.in_(self.owner_ids))
        return query

    def _dimensions(self, query: Select, table) -> Select:
        """``query`` narrowed by region, team, owner and product line on ``table``'s columns
        of those names (the deals', or the rollups', which keep them per row)."""
        for column, values in (
            ("region_id", self.region_ids),
            ("team_id", self.team_ids),
            ("owner_id", self.owner_ids),
            ("product_line_id", self.product_line_ids),
        ):
            if values:
                query = query.where(table.c[column].in_(values))
        return query

    def apply_through(self, query: Select, opportunity_id, *, join: bool = False) -> Select:
        """``query`` over rows that belong to a deal (key actions, stage stays: their deal
        column ``opportunity_id``) restricted to the filter. Unchanged when nothing filters,
        so it reads those rows' own indexes alone, unless ``join`` asks for the deal's
        columns."""
        if self.is_empty() and not join:
            return query
        return self.apply(query.join(OPP, OPP.c.id == opportunity_id))

    def apply_by_copy(self, query: Select, opportunity_id, owner, team) -> Select:
        """``query`` over rows that carry a copy of their deal's ``owner`` and ``team``
        (instalments, ratings, key actions) restricted to the filter: by the copy when only
        owners and teams filter (a rep's or a manager's own: one range of the rows' own
        index), else through the deal (``apply_through``)."""
        if self.copies_can_answer:
            return self.apply_to_copies(query, owner, team)
        return self.apply_through(query, opportunity_id)


NO_FILTER = OpportunityFilter()
