"""Names in a spreadsheet to ids in the store: stages, users, customers, regions, teams,
product lines and opportunities, matched loosely (``match_key``: case, width and spaces do
not matter). A name two rows of the store share is *ambiguous*, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.importing.values import match_key
from salesboard.store.models import Customer, Opportunity, ProductLine, Region, Stage, Team, User
from salesboard.store.queries import chunks

AMBIGUOUS = -1
# "2. 需求分析", "阶段2：需求分析", "(3)方案制定": a numbering in front of a stage name.
_NUMBERING = re.compile(r"^(?:阶段|stage)?\s*[(（]?\d{1,2}[)）]?[\s.、:：\-_)）]*", re.IGNORECASE)
# 华东区 / 华东大区 / East China region: the region word after the name.
_REGION_WORD = re.compile(r"(?:大区|地区|区域|区|region|area)$", re.IGNORECASE)


@dataclass
class NameIndex:
    """Loose keys to ids; a key shared by several rows maps to ``AMBIGUOUS`` and its
    candidates are kept for the message."""

    ids: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, list[str]] = field(default_factory=dict)
    variant: object = None  # optional extra key function tried when the plain key misses

    def add(self, name: object, row_id: int, label: str) -> None:
        """Register ``name`` (any spelling) for ``row_id``."""
        key = match_key(name)
        if key is None:
            return
        known = self.ids.get(key)
        if known is None:
            self.ids[key] = row_id
            self.candidates[key] = [label]
        elif known != row_id:
            self.ids[key] = AMBIGUOUS
            if label not in self.candidates[key]:
                self.candidates[key].append(label)

    def lookup(self, text: object) -> int | None:
        """The id for ``text``, ``AMBIGUOUS``, or None when unknown."""
        key = match_key(text)
        if key is None:
            return None
        found = self.ids.get(key)
        if found is None and self.variant is not None:
            alternative = self.variant(key)
            if alternative and alternative != key:
                found = self.ids.get(alternative)
        return found

    def resolve(self, texts: pd.Series) -> pd.Series:
        """Ids for a column of names (Int64: missing where blank or unknown, -1 where
        ambiguous); names are matched once per distinct value."""
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        found = np.array(
            [AMBIGUOUS - 1 if (v := self.lookup(u)) is None else v for u in uniques],
            dtype=np.int64,
        )
        values = np.where(codes >= 0, found[np.maximum(codes, 0)] if len(found) else 0, 0)
        missing = (codes < 0) | (values == AMBIGUOUS - 1)
        return pd.Series(pd.arrays.IntegerArray(values, missing), index=texts.index)

    def choices_for(self, text: object) -> list[str]:
        """The labels an ambiguous ``text`` could mean."""
        key = match_key(text)
        return list(self.candidates.get(key, [])) if key else []


def _unnumbered(key: str) -> str:
    return _NUMBERING.sub("", key)


def _region_stem(key: str) -> str:
    return _REGION_WORD.sub("", key)


@dataclass(frozen=True)
class StageRow:
    id: int
    code: str
    position: int
    name_zh: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None
    active: bool


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    region_id: int


@dataclass
class Reference:
    """The store's reference data an import resolves names against (loaded once per run)."""

    stages: list[StageRow]
    users: dict[int, UserRow]
    teams: dict[int, TeamRow]
    regions: dict[int, tuple[str, str, str]]  # id -> (code, name_zh, name_en)
    product_lines: dict[int, tuple[str, str, str]]
    stage_index: NameIndex
    user_index: NameIndex
    team_index: NameIndex
    region_index: NameIndex
    product_line_index: NameIndex
    # Ids of retired teams, regions and product lines: known, but taking no new records.
    retired: dict[str, frozenset[int]] = field(default_factory=dict)
    _customers: CustomerIndex | None = None

    @property
    def stage_by_id(self) -> dict[int, StageRow]:
        """Stages by id."""
        return {s.id: s for s in self.stages}

    def index(self, ref: str) -> NameIndex:
        """The name index of a ref kind (stage, user, team, region, product_line)."""
        return {
            "stage": self.stage_index,
            "user": self.user_index,
            "team": self.team_index,
            "region": self.region_index,
            "product_line": self.product_line_index,
        }[ref]

    def customers(self, session: Session) -> CustomerIndex:
        """Customer names (loaded on first use: stores hold many customers)."""
        if self._customers is None:
            self._customers = CustomerIndex.load(session)
        return self._customers


def load_reference(session: Session) -> Reference:
    """Stages, users, teams, regions and product lines of the store with their name indexes."""
    stages = [
        StageRow(*row)
        for row in session.execute(
            select(Stage.id, Stage.code, Stage.position, Stage.name_zh, Stage.name_en, Stage.kind)
            .order_by(Stage.position)
        )
    ]  # fmt: skip
    stage_index = NameIndex(variant=_unnumbered)
    for s in stages:
        for name in (s.code, s.name_zh, s.name_en):
            stage_index.add(name, s.id, s.name_zh)
    users = {
        row[0]: UserRow(*row)
        for row in session.execute(
            select(User.id, User.username, User.display_name, User.role, User.team_id, User.active)
        )
    }
    # Usernames first, so a display name equal to someone's username cannot shadow it.
    user_index = NameIndex()
    for u in users.values():
        user_index.add(u.username, u.id, f"{u.display_name} ({u.username})")
    by_username = dict(user_index.ids)
    for u in users.values():
        key = match_key(u.display_name)
        if key is not None and key not in by_username:
            user_index.add(u.display_name, u.id, f"{u.display_name} ({u.username})")
    teams = {
        row[0]: TeamRow(*row) for row in session.execute(select(Team.id, Team.name, Team.region_id))
    }
    retired = {
        ref: frozenset(session.execute(select(model.id).where(~model.active)).scalars())
        for ref, model in (("team", Team), ("region", Region), ("product_line", ProductLine))
    }
    team_index = NameIndex()
    for t in teams.values():
        team_index.add(t.name, t.id, t.name)
    regions = {
        row[0]: (row[1], row[2], row[3])
        for row in session.execute(select(Region.id, Region.code, Region.name_zh, Region.name_en))
    }
    region_index = _coded_index(regions, variant=_region_stem)
    lines = {
        row[0]: (row[1], row[2], row[3])
        for row in session.execute(
            select(ProductLine.id, ProductLine.code, ProductLine.name_zh, ProductLine.name_en)
        )
    }
    return Reference(
        stages=stages,
        users=users,
        teams=teams,
        regions=regions,
        product_lines=lines,
        stage_index=stage_index,
        user_index=user_index,
        team_index=team_index,
        region_index=region_index,
        product_line_index=_coded_index(lines),
        retired=retired,
    )


def _coded_index(rows: dict[int, tuple[str, str, str]], variant=None) -> NameIndex:
    index = NameIndex(variant=variant)
    for row_id, (code, zh, en) in rows.items():
        for name in (code, zh, en):
            index.add(name, row_id, zh)
    return index


@dataclass
class CustomerIndex:
    """Customers by loose name; the same name may exist once per region."""

    by_key: dict[str, list[tuple[int, int]]]  # key -> [(id, region_id)]

    @classmethod
    def load(cls, session: Session) -> CustomerIndex:
        """Every customer's (id, name, region)."""
        by_key: dict[str, list[tuple[int, int]]] = {}
        for row_id, name, region_id in session.execute(
            select(Customer.id, Customer.name, Customer.region_id)
        ):
            key = match_key(name)
            if key is not None:
                by_key.setdefault(key, []).append((row_id, region_id))
        return cls(by_key)

    def resolve(
        self, names: pd.Series, regions: pd.Series | None = None
    ) -> tuple[pd.Series, pd.Series]:
        """(ids, ambiguous mask) for a column of customer names, narrowed by ``regions``
        (region ids, may be missing) when one name exists in several regions; each
        distinct (name, region) pair is looked up once."""
        n = len(names)
        region = (
            pd.to_numeric(regions, errors="coerce").fillna(0).to_numpy(dtype=np.int64)
            if regions is not None
            else np.zeros(n, dtype=np.int64)
        )
        name_codes, name_uniques = pd.factorize(names, use_na_sentinel=True)
        width = int(region.max(initial=0)) + 1
        combined = np.where(name_codes >= 0, name_codes.astype(np.int64) * width + region, -1)
        codes, pairs = pd.factorize(combined)
        found = np.zeros(len(pairs), dtype=np.int64)
        state = np.zeros(len(pairs), dtype=np.int8)  # 0 found, 1 unknown/blank, 2 ambiguous
        for i, pair in enumerate(pairs.tolist()):
            if pair < 0:
                state[i] = 1
                continue
            candidates = self.by_key.get(match_key(name_uniques[pair // width]) or "", [])
            wanted = pair % width
            if wanted and len(candidates) > 1:
                candidates = [c for c in candidates if c[1] == wanted] or candidates
            if not candidates:
                state[i] = 1
            elif len(candidates) > 1:
                state[i] = 2
            else:
                found[i] = candidates[0][0]
        row_state = state[codes]
        ids = pd.arrays.IntegerArray(found[codes], row_state != 0)
        return pd.Series(ids, index=names.index), pd.Series(row_state == 2, index=names.index)

    def add(self, name: str, row_id: int, region_id: int) -> None:
        """Register a customer created during this import."""
        self.by_key.setdefault(match_key(name) or "", []).append((row_id, region_id))


@dataclass(frozen=True)
class OpportunityRef:
    id: int
    code: str
    customer_id: int
    owner_id: int
    team_id: int


CODES_PER_QUERY = 10_000  # within SQLite's 32,766 bound parameters


def opportunities_by_code(session: Session, codes: Iterable[str]) -> dict[str, OpportunityRef]:
    """The store's opportunities among ``codes`` (exact codes as normalised)."""
    wanted = sorted({c for c in codes if c})
    opp = Opportunity.__table__
    columns = (opp.c.id, opp.c.code, opp.c.customer_id, opp.c.owner_id, opp.c.team_id)
    found: dict[str, OpportunityRef] = {}
    if len(wanted) > 50_000:  # one scan beats thousands of IN lists
        wanted_set = set(wanted)
        for row in session.execute(select(*columns)):
            if row[1] in wanted_set:
                found[row[1]] = OpportunityRef(*row)
        return found
    # Long IN lists: a chunked import asks for 50,000 codes at a time, and compiling a
    # statement per short list cost more than the lookups.
    for chunk in chunks(wanted, CODES_PER_QUERY):
        for row in session.execute(select(*columns).where(opp.c.code.in_(chunk))):
            found[row[1]] = OpportunityRef(*row)
    return found
