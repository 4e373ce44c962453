"""A deterministic, realistic demo company (regions, teams, reps, customers, a staged
pipeline with history, key actions, visits, collections and a goal tree).

Everything derives from ``seed`` and ``today``: two runs with the same pair write identical
rows. Generation is vectorised with numpy and written with bulk Core inserts in one write
transaction, so the "large" size (1,000,000 opportunities) takes minutes, on SQLite and on
PostgreSQL alike. ``generate`` replaces the business tables (everything except settings and
calendar overrides) and then re-inserts the default stages.

Time model: all stage changes happen on working days. Dates are handled as indices into the
sorted array of working days, so "n working days after d" is ``index + n``; this matches
``WorkCalendar.add_working_days``. Opportunities are created from three months before the
first goal month, so the first goal months already have a pipeline closing; goals run from
the quarter 18 months before ``today`` to the end of ``today``'s year.

Stage history rows are stays in a stage, with no gaps (``left_on`` = next ``entered_on``).
An open deal's last row is open and is its current stage. A lost deal's last row is the
stage it was lost in (``lost_stage_id``), closed on ``lost_on``; its current stage is the
terminal ``lost`` stage (``stage_entered_on`` = ``lost_on``), which gets no row of its own.
A deal is won when its contract is signed: when it leaves contract signing for delivery
(``won_on``); the delivery row closes when delivery is done.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Index, Table, inspect, select

from salesboard.accounts.auth import hash_password
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.demo.accounts import DEMO_PASSWORD, DEMO_SETTING
from salesboard.demo.events import generate_events
from salesboard.demo.forms import add_demo_forms
from salesboard.store import models as m
from salesboard.store.db import write_session
from salesboard.store.reference_data import DEFAULT_STAGES, ensure_reference_data
from salesboard.store.settings import get_settings

YUAN = 100  # minor units (分) per yuan
WAN_YUAN = 10_000 * YUAN  # goal targets are whole 万元
_NONE = 10**9  # workday index meaning "not (yet) happened"
_CHUNK = 20_000  # rows per bulk INSERT
# Tables generate() keeps: company configuration, not demo business data.
KEPT_TABLES = frozenset({"app_setting", "calendar_override", "alembic_version"})


@dataclass(frozen=True)
class DemoSize:
    """How big the demo company is; counts are rows, ``visits_per_opportunity`` a mean."""

    teams_per_region: tuple[int, int, int]  # south, east, north
    reps: int
    customers: int
    opportunities: int
    actions_per_stage: int
    visits_per_opportunity: float


SIZES: dict[str, DemoSize] = {
    "small": DemoSize((2, 1, 1), 12, 150, 400, 2, 2.0),
    "default": DemoSize((2, 1, 1), 25, 2_000, 8_000, 2, 2.5),
    "large": DemoSize((4, 4, 4), 120, 250_000, 1_000_000, 1, 0.5),
}


@dataclass(frozen=True)
class MisalignedGoal:
    """The one goal whose children deliberately do not add up (in ``today``'s quarter):
    its target is ``excess`` above the sum of its teams' targets."""

    metric: str
    scope: str
    product_line_code: str
    region_code: str
    excess: float


MISALIGNED_GOAL = MisalignedGoal(
    metric=m.GoalMetric.REVENUE,
    scope=m.GoalScope.REGION,
    product_line_code="smart_mfg",
    region_code="south",
    excess=0.15,
)
# Every demo user (admin, leaders, managers, reps) signs in with this documented password.
# AppSetting key marking a demo store (the sign-in page then lists the demo accounts).
# The team that clearly outperforms (higher win rate, faster cycle).
STRONG_TEAM = "华东销售一组"


@dataclass(frozen=True)
class DemoSummary:
    """Row counts written by ``generate`` and how long it took (seconds)."""

    size: str
    seed: int
    today: date
    users: int
    customers: int
    opportunities: int
    stage_history: int
    key_actions: int
    visits: int
    collections: int
    goals: int
    misaligned_goal_id: int
    seconds: float

    @property
    def rows(self) -> int:
        """All rows written."""
        return (
            self.users + self.customers + self.opportunities + self.stage_history
            + self.key_actions + self.visits + self.collections + self.goals
        )  # fmt: skip


# --- vocabulary ---------------------------------------------------------------------------

REGIONS = (
    ("south", "华南", "South China"),
    ("east", "华东", "East China"),
    ("north", "华北", "North China"),
)
# code, zh, en, share of opportunities, median deal (yuan)
PRODUCT_LINES = (
    ("smart_mfg", "智能制造套件", "Smart Manufacturing Suite", 0.40, 600_000),
    ("cloud", "云服务", "Cloud Services", 0.35, 200_000),
    ("analytics", "数据分析平台", "Data Analytics Platform", 0.25, 350_000),
)
CITIES = (
    ("深圳", "广州", "东莞", "佛山", "珠海", "厦门", "福州", "南宁", "海口"),
    ("上海", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "常州", "温州"),
    ("北京", "天津", "石家庄", "济南", "青岛", "太原", "沈阳", "大连", "唐山"),
)
_WORD1 = "华恒鼎瑞金博天宏信永嘉中新卓海汇创联盛德正通科星远光明泰润安万隆东宇凯昌福兴达银"
_WORD2 = "睿通盛丰石远成达诚泰禾锐越川金维信辉源航拓晟宸驰鑫邦威腾凯方元和宇康瑞林峰华盈讯"
INDUSTRIES = {
    "制造业": ("精密制造有限公司", "机械制造有限公司", "智能装备股份有限公司", "制造集团"),
    "电子": ("电子科技有限公司", "半导体股份有限公司", "光电科技有限公司"),
    "汽车零部件": ("汽车零部件有限公司", "汽车部件集团"),
    "医药": ("医药集团", "生物科技有限公司", "制药股份有限公司"),
    "零售": ("商贸有限公司", "连锁超市有限公司", "零售集团"),
    "物流": ("物流有限公司", "供应链管理有限公司", "国际货运代理有限公司"),
    "能源": ("能源科技有限公司", "新能源股份有限公司", "电力工程有限公司"),
    "化工": ("化工有限公司", "新材料股份有限公司"),
    "食品": ("食品有限公司", "食品饮料集团"),
    "信息技术": ("信息技术有限公司", "软件股份有限公司", "网络科技有限公司"),
    "贸易": ("贸易有限公司", "进出口有限公司"),
    "建筑": ("建设集团有限公司", "建筑工程有限公司"),
}
GOVERNMENT_UNITS = (
    ("市交通运输局", "政府机构"), ("市数据资源管理局", "政府机构"), ("市市场监督管理局", "政府机构"),
    ("市生态环境局", "政府机构"), ("市政务服务中心", "政府机构"), ("市住房和城乡建设局", "政府机构"),
    ("市水务集团", "公共事业"), ("市燃气集团", "公共事业"), ("市公交集团", "公共事业"),
    ("市地铁集团", "公共事业"), ("市第一人民医院", "医疗卫生"), ("市第二人民医院", "医疗卫生"),
    ("市中医院", "医疗卫生"), ("市妇幼保健院", "医疗卫生"), ("市职业技术学院", "教育"),
    ("市第一中学", "教育"), ("市城市投资集团", "国有企业"), ("市港务集团", "国有企业"),
)  # fmt: skip
SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"),
    ("曾", "zeng"), ("田", "tian"), ("董", "dong"), ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"),
)  # fmt: skip
GIVEN_NAMES = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("磊", "lei"),
    ("强", "qiang"), ("洋", "yang"), ("艳", "yan"), ("杰", "jie"), ("军", "jun"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("婷", "ting"), ("浩", "hao"), ("鹏", "peng"), ("欣", "xin"),
    ("志强", "zhiqiang"), ("建华", "jianhua"), ("晓东", "xiaodong"), ("海燕", "haiyan"),
    ("丽娟", "lijuan"), ("子涵", "zihan"), ("浩然", "haoran"), ("思远", "siyuan"), ("雨欣", "yuxin"),
    ("嘉怡", "jiayi"), ("俊杰", "junjie"), ("文博", "wenbo"), ("佳琪", "jiaqi"), ("一鸣", "yiming"),
    ("梓萱", "zixuan"), ("天宇", "tianyu"), ("晓燕", "xiaoyan"), ("国强", "guoqiang"),
)  # fmt: skip
_CN_NUMERALS = "一二三四五六七八九十"
SOURCES = ("website", "exhibition", "referral", "cold_call", "partner")
_SOURCE_P = (0.25, 0.20, 0.20, 0.20, 0.15)
_SOURCE_LEAD_SKILL = (1.0, 0.9, 1.5, 0.7, 1.2)  # how well each source's leads qualify
CUSTOMER_TYPES = ("enterprise", "smb", "government")
_TYPE_P = (0.60, 0.32, 0.08)
_TYPE_AMOUNT = (1.2, 0.5, 1.5)
# Lost reasons per open stage, with weights.
LOST_REASONS = (
    (("需求不明确", 0.35), ("预算取消", 0.25), ("无法联系决策人", 0.2), ("选择竞品", 0.2)),
    (("需求变化", 0.3), ("预算取消", 0.25), ("选择竞品", 0.25), ("决策延迟", 0.2)),
    (("选择竞品", 0.4), ("方案不匹配", 0.25), ("价格过高", 0.2), ("决策延迟", 0.15)),
    (("价格过高", 0.45), ("选择竞品", 0.3), ("决策延迟", 0.15), ("预算取消", 0.1)),
)
DELAY_FLAGS = (("延迟(客户原因)", 0.55), ("延迟(内部原因)", 0.30), ("竞品威胁", 0.15))
PROBLEM_FEEDBACK = (
    "价格偏高",
    "需补充竞品对比",
    "决策链复杂",
    "预算待审批",
    "需求尚未明确",
    "内部流程较慢",
)
GOOD_FEEDBACK = (
    ("满意", 0.35),
    ("认可方案", 0.2),
    ("希望尽快推进", 0.15),
    ("需补充案例", 0.1),
    ("", 0.2),
)
VISIT_GOALS = ("了解客户需求", "方案演示", "技术交流", "商务洽谈", "关系维护", "高层拜访")
COMMITMENTS = (
    "安排技术交流",
    "提供预算范围",
    "引荐决策人",
    "确认需求清单",
    "安排试点验证",
    "推进合同审批",
)
# Stage timing: median actual/standard ratio and its spread, per stage column. Negotiation is
# the bottleneck the seed describes (~15 working days against a standard of 7).
_STAGE_MEDIAN_RATIO = (0.85, 0.85, 0.85, 1.6, 0.9, 0.9)
_STAGE_SIGMA = (0.45, 0.45, 0.45, 0.7, 0.3, 0.35)
_STAGE_LOSS = (0.30, 0.18, 0.18, 0.20)  # base loss probability in each open stage


# --- public entry point --------------------------------------------------------------------


def generate(
    engine: Engine, *, size: str = "default", seed: int = 42, today: date | None = None
) -> DemoSummary:
    """Replace the store's business data with the demo company of ``size``
    ("small", "default" or "large"), reproducible from ``seed`` and ``today``
    (default: ``SALESBOARD_TODAY``, else the real date). Runs in one write transaction."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    started = time.perf_counter()
    today = today or _configured_today()
    with write_session(engine) as session:
        conn = session.connection()
        _clear_business_tables(conn)
        ensure_reference_data(session)
        stage_ids = dict(conn.execute(select(m.Stage.code, m.Stage.id)).all())
        calendar = load_calendar(session)
        tables = _Builder(SIZES[size], seed, today, calendar, stage_ids).build()
        # Loading into index-free tables and indexing afterwards is much faster at scale.
        indexes = _drop_secondary_indexes(conn, list(tables))
        for table, columns in tables.items():
            _bulk_insert(conn, table, columns)
        for index in indexes:
            index.create(conn)
        _sync_id_sequences(conn)
        generate_events(session, today=today, seed=seed)  # pipeline history (issue 3)
        _mark_demo(session, today)
    add_demo_forms(engine, today, seed)  # feedback forms of the last months (closing the loop)
    counts = {t.name: len(next(iter(c.values()))) for t, c in tables.items()}
    return DemoSummary(
        size=size,
        seed=seed,
        today=today,
        users=counts["user"],
        customers=counts["customer"],
        opportunities=counts["opportunity"],
        stage_history=counts["stage_history"],
        key_actions=counts["key_action"],
        visits=counts["visit"],
        collections=counts["collection"],
        goals=counts["goal"],
        misaligned_goal_id=tables[_table(m.Goal)]["_misaligned_id"],
        seconds=time.perf_counter() - started,
    )


def _mark_demo(session, today: date) -> None:
    import json

    row = session.get(m.AppSetting, DEMO_SETTING) or m.AppSetting(key=DEMO_SETTING)
    row.value = json.dumps({"today": today.isoformat()})
    session.add(row)


def quarter_label(day: date) -> str:
    """The goal period label of ``day``'s quarter, e.g. "2026Q2"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _configured_today() -> date:
    fixed = get_settings().today
    return date.fromisoformat(fixed) if fixed else date.today()


# --- writing -----------------------------------------------------------------------------


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _clear_business_tables(conn: Connection) -> None:
    existing = set(inspect(conn).get_table_names())
    for table in reversed(m.metadata.sorted_tables):
        if table.name in existing and table.name not in KEPT_TABLES:
            conn.execute(table.delete())
    _sync_id_sequences(conn)


def _drop_secondary_indexes(conn: Connection, tables: list[Table]) -> list[Index]:
    """Drop the non-unique model indexes of ``tables`` that exist; returns them to recreate."""
    dropped = []
    for table in tables:
        existing = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            if not index.unique and index.name in existing:
                index.drop(conn)
                dropped.append(index)
    return dropped


def _sync_id_sequences(conn: Connection) -> None:
    """PostgreSQL: move each ``id`` sequence past the explicit ids we inserted."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    existing = set(inspect(conn).get_table_names())
    for table in m.metadata.sorted_tables:
        if table.name in existing and "id" in table.c and table.c.id.primary_key:
            name = quote(table.name)
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {name}"
            )


def _bulk_insert(conn: Connection, table: Table, columns: dict[str, Any]) -> None:
    names = [k for k in columns if not k.startswith("_")]
    n = len(columns[names[0]])
    for start in range(0, n, _CHUNK):
        values = [_as_python(columns[k][start : start + _CHUNK]) for k in names]
        conn.execute(
            table.insert(),
            [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)],
        )


def _as_python(values: Sequence[Any]) -> list[Any]:
    # numpy scalars are not DB-API values; datetime64[D] becomes date (NaT becomes None).
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


# --- generation ----------------------------------------------------------------------------


def _choice(rng: np.random.Generator, options: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    labels = np.array([o for o, _ in options], dtype=object)
    weights = np.array([w for _, w in options])
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def _add_months(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month0 + 1, 1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer ``total`` proportionally to ``weights`` so the parts add up exactly."""
    raw = total * weights / weights.sum()
    parts = np.floor(raw).astype(np.int64)
    short = total - int(parts.sum())
    parts[np.argsort(-(raw - parts), kind="stable")[:short]] += 1
    return parts


def _sum_by(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of ``values`` per group index."""
    sums = np.zeros(size, dtype=np.int64)
    np.add.at(sums, groups, values)
    return sums


class _Builder:
    """Builds every demo table as column arrays (numpy where it pays off)."""

    def __init__(
        self, spec: DemoSize, seed: int, today: date, calendar: WorkCalendar, stage_ids: dict
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.today = today
        self.goal_start = _quarter_start(_add_months(today.replace(day=1), -18))
        self.data_start = _add_months(self.goal_start, -3)
        self.goal_end = date(today.year, 12, 31)
        first = np.datetime64(self.data_start - timedelta(days=400), "D")
        days = np.arange(first, np.datetime64(today + timedelta(days=5 * 366), "D"))
        working = calendar.working_days_between_many(days - 1, days) == 1
        self.workdays = days[working]
        self.today_idx = int(np.searchsorted(self.workdays, np.datetime64(today, "D"), "right")) - 1
        self.start_idx = int(np.searchsorted(self.workdays, np.datetime64(self.data_start, "D")))
        self.stages = [s for s in DEFAULT_STAGES if s.kind != m.StageKind.LOST]
        self.standard = np.array([s.standard_days for s in self.stages])
        # Column c of the stage walk is stage ``stage_col_ids[c]``; column 6 is "lost".
        self.stage_col_ids = np.array(
            [stage_ids[s.code] for s in self.stages] + [stage_ids["lost"]]
        )
        self.created_at = datetime.combine(self.data_start, datetime.min.time(), UTC)

    def rng(self, part: int) -> np.random.Generator:
        """An independent stream per table, so changing one table leaves the others alone."""
        return np.random.default_rng([self.seed, part])

    def dates(self, idx: np.ndarray) -> np.ndarray:
        """Working-day indices to ``datetime64[D]`` (``_NONE`` gives NaT)."""
        ext = np.append(self.workdays, np.datetime64("NaT"))
        idx = np.where(idx >= _NONE, len(ext) - 1, np.minimum(idx, len(ext) - 2))
        return ext[idx]

    def build(self) -> dict[Table, dict[str, Any]]:
        org = self.organisation()
        customers = self.customers(org)
        opps = self.opportunities(org, customers)
        history = self.stage_history(opps)
        actions = self.key_actions(opps)
        visits = self.visits(opps, customers, org)
        self.finish_opportunities(opps, actions, visits)
        collections = self.collections(opps)
        self.finish_customers(customers, opps)
        goals = self.goals(org, customers, opps)
        return {
            _table(m.Region): org["region"],
            _table(m.ProductLine): org["product_line"],
            _table(m.Team): org["team"],
            _table(m.User): org["user"],
            _table(m.TeamManager): org["team_manager_rows"],
            _table(m.Customer): customers["table"],
            _table(m.Opportunity): opps["table"],
            _table(m.StageHistory): history,
            _table(m.KeyAction): actions["table"],
            _table(m.Visit): visits,
            _table(m.Collection): collections,
            _table(m.Goal): goals,
        }

    # -- organisation --------------------------------------------------------------------

    def organisation(self) -> dict[str, Any]:
        rng = self.rng(1)
        spec = self.spec
        region = {
            "id": [1, 2, 3],
            "code": [r[0] for r in REGIONS],
            "name_zh": [r[1] for r in REGIONS],
            "name_en": [r[2] for r in REGIONS],
        }
        product_line = {
            "id": [1, 2, 3],
            "code": [p[0] for p in PRODUCT_LINES],
            "name_zh": [p[1] for p in PRODUCT_LINES],
            "name_en": [p[2] for p in PRODUCT_LINES],
        }
        team_region = [r for r, n in enumerate(spec.teams_per_region) for _ in range(n)]
        team_names = [
            f"{REGIONS[r][1]}销售{_CN_NUMERALS[i]}组"
            for r, n in enumerate(spec.teams_per_region)
            for i in range(n)
        ]
        n_teams = len(team_names)
        strong = team_names.index(STRONG_TEAM)
        weak = len(team_names) - 1  # the last north team lags a little
        # Reps round-robin over teams, starting with the strong team.
        order = [(strong + i) % n_teams for i in range(n_teams)]
        rep_team = np.array(sorted(order[i % n_teams] for i in range(spec.reps)))
        people = self.people(rng, 3 + n_teams + spec.reps)
        users: dict[str, list] = {
            k: [] for k in ("id", "username", "display_name", "email", "role", "team_id")
        }

        def add_user(role: str, team: int | None) -> int:
            zh, username = people[len(users["id"])]
            users["id"].append(len(users["id"]) + 1)
            users["username"].append(username)
            users["display_name"].append(zh)
            users["email"].append(f"{username}@example.com")
            users["role"].append(role)
            users["team_id"].append(None if team is None else team + 1)
            return users["id"][-1]

        add_user(m.Role.ADMIN, None)
        leaders = [add_user(m.Role.LEADER, None) for _ in range(2)]
        managers, rep_ids = [], []
        for t in range(n_teams):
            managers.append(add_user(m.Role.MANAGER, t))
            rep_ids += [add_user(m.Role.REP, t) for _ in range(int((rep_team == t).sum()))]
        n_users = len(users["id"])
        users["username"][0], users["display_name"][0] = "admin", "系统管理员"
        users["email"][0] = "admin@example.com"
        users["active"] = [True] * n_users
        users["created_at"] = [self.created_at] * n_users
        # One hash for everyone: argon2 is slow on purpose, and the password is public. The
        # salt comes from the seed so the same seed writes the same rows.
        salt = f"salesboard-demo-{self.seed}".encode()
        users["password_hash"] = [hash_password(DEMO_PASSWORD, salt=salt)] * n_users
        users["password_changed_at"] = [self.created_at] * n_users
        users["must_change_password"] = [False] * n_users
        users["failed_logins"] = [0] * n_users
        # Rep ability: team level times personal noise; one newcomer per team.
        team_win = np.ones(n_teams)
        team_speed = np.ones(n_teams)
        team_win[strong], team_speed[strong] = 1.5, 0.8
        team_win[weak], team_speed[weak] = 0.85, 1.1
        win = team_win[rep_team] * np.exp(rng.normal(0, 0.15, spec.reps))
        speed = team_speed[rep_team] * np.exp(rng.normal(0, 0.12, spec.reps))
        capacity = np.exp(rng.normal(0, 0.25, spec.reps))
        newcomer = np.r_[True, rep_team[1:] != rep_team[:-1]]
        newcomer = np.roll(newcomer, -1)  # the last rep of each team joined recently
        win[newcomer] *= 0.75
        speed[newcomer] *= 1.2
        capacity[newcomer] *= 0.7
        diligence = np.clip(win * np.exp(rng.normal(0, 0.15, spec.reps)), 0.5, 2.0)
        return {
            "region": region,
            "product_line": product_line,
            "team": {
                "id": list(range(1, n_teams + 1)),
                "name": team_names,
                "region_id": [r + 1 for r in team_region],
            },
            "user": users,
            "team_manager_rows": {"team_id": list(range(1, n_teams + 1)), "user_id": managers},
            "team_region": np.array(team_region),
            "team_manager": np.array(managers),
            "leaders": leaders,
            "rep_id": np.array(rep_ids),
            "rep_team": rep_team,
            "rep_region": np.array(team_region)[rep_team],
            "win": win,
            "speed": speed,
            "capacity": capacity,
            "diligence": diligence,
        }

    @staticmethod
    def people(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
        pairs = rng.permutation(len(SURNAMES) * len(GIVEN_NAMES))[:n]
        seen: dict[str, int] = {}
        result = []
        for p in pairs.tolist():
            (sur, sur_py), (given, given_py) = (
                SURNAMES[p // len(GIVEN_NAMES)],
                GIVEN_NAMES[p % len(GIVEN_NAMES)],
            )
            base = f"{given_py}.{sur_py}"
            seen[base] = seen.get(base, 0) + 1
            result.append((sur + given, base if seen[base] == 1 else f"{base}{seen[base]}"))
        return result

    # -- customers -----------------------------------------------------------------------

    def customers(self, org: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng(2)
        n = self.spec.customers
        rep_region = org["rep_region"]
        region_share = np.bincount(rep_region, minlength=3) / len(rep_region)
        region = np.sort(rng.choice(3, size=n, p=region_share))
        ctype = rng.choice(3, size=n, p=_TYPE_P)
        names = np.empty(n, dtype=object)
        short = np.empty(n, dtype=object)
        industry = np.empty(n, dtype=object)
        for r in range(3):
            rows = np.flatnonzero(region == r)
            gov_pool = [(c + unit, c, ind) for c in CITIES[r] for unit, ind in GOVERNMENT_UNITS]
            gov_rows = rows[ctype[rows] == 2]
            take = min(len(gov_rows), len(gov_pool))
            pick = rng.permutation(len(gov_pool))[:take]
            for row, p in zip(gov_rows[:take], pick.tolist(), strict=True):
                names[row], short[row], industry[row] = (
                    gov_pool[p][0],
                    gov_pool[p][0],
                    gov_pool[p][2],
                )
            ctype[gov_rows[take:]] = 0  # the public pool is finite; the rest are enterprises
            company_rows = np.setdiff1d(rows, gov_rows[:take])
            for row, (name, sh, ind) in zip(
                company_rows, self.company_names(rng, r, len(company_rows)), strict=True
            ):
                names[row], short[row], industry[row] = name, sh, ind
        owner = np.empty(n, dtype=np.int64)
        existing = rng.random(n) < 0.3  # accounts from before the data window
        for r in range(3):
            rows = np.flatnonzero(region == r)
            reps = np.flatnonzero(rep_region == r)
            cap = org["capacity"][reps]
            owner[rows] = reps[rng.choice(len(reps), size=len(rows), p=cap / cap.sum())]
            owner[rows[: len(reps)]] = reps[: len(rows)]  # every rep owns some accounts
            existing[rows[: len(reps)]] = True
        potential_high = rng.random(n) < np.where(ctype == 1, 0.2, 0.45)
        # How often a customer buys: high potential and a heavy tail of key accounts.
        weight = np.where(potential_high, 3.0, 1.0) * rng.pareto(2.5, n).clip(0, 8) + 0.3
        # New accounts arrive evenly over the window; deals only go to accounts that exist.
        arrival = np.where(existing, -1, rng.integers(self.start_idx, self.today_idx + 1, n))
        return {
            "n": n,
            "existing": existing,
            "arrival": arrival,
            "region": region,
            "type": ctype,
            "owner": owner,
            "high": potential_high,
            "weight": weight,
            "short": short,
            "table": {
                "id": np.arange(1, n + 1),
                "name": names,
                "industry": industry,
                "region_id": region + 1,
                "customer_type": np.array(CUSTOMER_TYPES, dtype=object)[ctype],
                "potential": np.where(potential_high, "high", "low").astype(object),
                "owner_id": org["rep_id"][owner],
            },
        }

    @staticmethod
    def company_names(rng: np.random.Generator, region: int, n: int) -> list[tuple[str, str, str]]:
        """``n`` unique (name, short name, industry) for companies in ``region``."""
        cities = CITIES[region]
        inds = list(INDUSTRIES)
        seen: set[str] = set()
        result: list[tuple[str, str, str]] = []
        while len(result) < n:
            batch = 2 * (n - len(result)) + 16
            c = rng.integers(0, len(cities), batch)
            w1 = rng.integers(0, len(_WORD1), batch)
            w2 = rng.integers(0, len(_WORD2), batch)
            ind = rng.integers(0, len(inds), batch)
            suf = rng.integers(0, 6, batch)
            for ci, a, b, ii, si in zip(
                c.tolist(), w1.tolist(), w2.tolist(), ind.tolist(), suf.tolist(), strict=True
            ):
                if _WORD1[a] == _WORD2[b]:
                    continue
                suffixes = INDUSTRIES[inds[ii]]
                sh = cities[ci] + _WORD1[a] + _WORD2[b]
                name = sh + suffixes[si % len(suffixes)]
                if name not in seen:
                    seen.add(name)
                    result.append((name, sh, inds[ii]))
                    if len(result) == n:
                        break
        return result

    def finish_customers(self, customers: dict[str, Any], opps: dict[str, Any]) -> None:
        """Customer since: its arrival (never after its first deal), years ago for old accounts."""
        rng = self.rng(3)
        n = customers["n"]
        first = np.full(n, _NONE, dtype=np.int64)
        np.minimum.at(first, opps["customer"], opps["created"])
        created = self.dates(np.minimum(np.maximum(customers["arrival"], 0), first))
        existing = customers["existing"]
        created[existing] = np.datetime64(self.data_start, "D") - rng.integers(
            30, 5 * 365, existing.sum()
        )
        customers["created"] = created
        customers["table"]["created_on"] = created

    # -- opportunities -------------------------------------------------------------------

    def opportunities(self, org: dict[str, Any], customers: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng(4)
        n = self.spec.opportunities
        # Created on working days, volume growing ~40 % over the window.
        span = self.today_idx - self.start_idx + 1
        trend = 1.0 + 0.4 * np.arange(span) / span
        created = np.sort(self.start_idx + rng.choice(span, size=n, p=trend / trend.sum()))
        # Who sells it: a rep by capacity, then one of that rep's customers by weight.
        rep = rng.choice(len(org["rep_id"]), size=n, p=org["capacity"] / org["capacity"].sum())
        customer = np.empty(n, dtype=np.int64)
        arrival = customers["arrival"]
        for r in range(len(org["rep_id"])):
            rows = np.flatnonzero(rep == r)
            own = np.flatnonzero(customers["owner"] == r)
            own = own[np.argsort(arrival[own], kind="stable")]
            cum = np.cumsum(customers["weight"][own])
            # Weighted pick among the rep's accounts that had arrived by the deal's date.
            eligible = np.maximum(np.searchsorted(arrival[own], created[rows], "right"), 1)
            pick = np.searchsorted(cum, rng.random(len(rows)) * cum[eligible - 1], "right")
            customer[rows] = own[np.minimum(pick, eligible - 1)]
        pl = rng.choice(3, size=n, p=[p[3] for p in PRODUCT_LINES])
        source = rng.choice(len(SOURCES), size=n, p=_SOURCE_P)
        ctype = customers["type"][customer]
        high = customers["high"][customer]
        median = np.array([p[4] for p in PRODUCT_LINES])[pl] * np.array(_TYPE_AMOUNT)[ctype]
        median = median * np.where(high, 1.4, 1.0)
        yuan = median * np.exp(rng.normal(0, 0.7, n))
        for _ in range(5):  # redraw outliers instead of piling them up at the bounds
            out = (yuan < 50_000) | (yuan > 3_000_000)
            yuan[out] = median[out] * np.exp(rng.normal(0, 0.7, out.sum()))
        amount = (np.rint(np.clip(yuan, 50_000, 3_000_000) / 1000) * 1000).astype(np.int64) * YUAN

        # Stage durations in working days around each stage's standard.
        ratio = np.exp(rng.normal(np.log(_STAGE_MEDIAN_RATIO), _STAGE_SIGMA, (n, 6)))
        ratio *= org["speed"][rep][:, None]
        ratio[:, 1:4] *= np.where(amount > 1_000_000 * YUAN, 1.15, 1.0)[:, None]
        duration = np.maximum(1, np.rint(self.standard * ratio)).astype(np.int64)
        stalled = rng.random(n) < 0.08  # deals that sit in one stage far too long
        stalled_col = rng.integers(0, 4, n)
        rows = np.flatnonzero(stalled)
        duration[rows, stalled_col[rows]] = np.rint(
            duration[rows, stalled_col[rows]] * rng.uniform(3, 6, len(rows))
        ).astype(np.int64)

        # Where each deal will be lost (-1: it will be won), given rep, source and customer.
        skill = org["win"][rep] * np.where(high, 1.15, 1.0)
        lost_at = np.full(n, -1)
        alive = np.ones(n, dtype=bool)
        u = rng.random((n, 4))
        for s, p in enumerate(_STAGE_LOSS):
            s_skill = skill * (np.array(_SOURCE_LEAD_SKILL)[source] if s == 0 else 1.0)
            lose = alive & (u[:, s] < 1 - (1 - p) ** (1 / s_skill))
            lost_at[lose] = s
            alive &= ~lose

        # enter[:, c]: working-day index the deal enters column c (stages, then "lost").
        walk = np.empty((n, 6), dtype=np.int64)
        walk[:, 0] = created
        for c in range(1, 6):
            walk[:, c] = walk[:, c - 1] + duration[:, c - 1]
        lost = lost_at >= 0
        lr = np.flatnonzero(lost)
        lost_idx = walk[lr, lost_at[lr]] + duration[lr, lost_at[lr]]
        enter = np.full((n, 7), _NONE, dtype=np.int64)
        enter[:, :6] = walk
        enter[:, :6][lost[:, None] & (np.arange(6)[None, :] > lost_at[:, None])] = _NONE
        enter[lr, 6] = lost_idx
        next_enter = np.full((n, 7), _NONE, dtype=np.int64)
        next_enter[:, :5] = enter[:, 1:6]
        next_enter[:, 5] = walk[:, 5] + duration[:, 5]  # delivery complete
        next_enter[lr, lost_at[lr]] = lost_idx
        happened = enter <= self.today_idx
        current = np.where(happened, np.arange(7), -1).max(axis=1)
        # Won when the contract is signed: the end of contract signing, entering delivery.
        status = np.where(happened[:, 6], 2, np.where(happened[:, 5], 1, 0))  # open/won/lost
        # Open deals that went quiet: stalled ones since their standard ran out, and some others.
        entered = enter[np.arange(n), current]
        quiet = np.full(n, self.today_idx)
        gone_quiet = (status == 0) & (rng.random(n) < 0.15)
        quiet[gone_quiet] -= rng.integers(8, 30, gone_quiet.sum())
        stuck = (status == 0) & stalled & (stalled_col == current)
        quiet[stuck] = entered[stuck] + self.standard[current[stuck]]
        quiet = np.clip(quiet, entered, self.today_idx)

        # Codes: XS + yyyymm + sequence within the month (created is sorted).
        created_d = self.dates(created)
        month = created_d.astype("datetime64[M]")
        first_of_month = np.r_[0, np.flatnonzero(month[1:] != month[:-1]) + 1]
        seq = np.arange(n) - np.repeat(first_of_month, np.diff(np.r_[first_of_month, n])) + 1
        yyyymm = np.char.replace(month.astype(str), "-", "")
        codes = [f"XS{ym}{s:03d}" for ym, s in zip(yyyymm.tolist(), seq.tolist(), strict=True)]

        plan = created + np.rint(self.standard[:4].sum() * rng.uniform(0.8, 1.5, n)).astype(
            np.int64
        )
        reason = np.full(n, "", dtype=object)
        for s, options in enumerate(LOST_REASONS):
            rows = np.flatnonzero((status == 2) & (lost_at == s))
            reason[rows] = _choice(rng, options, len(rows))
        pl_names = np.array([p[1] for p in PRODUCT_LINES], dtype=object)
        names = customers["short"][customer] + pl_names[pl] + "项目"
        return {
            "n": n,
            "rep": rep,
            "customer": customer,
            "pl": pl,
            "amount": amount,
            "created": created,
            "duration": duration,
            "lost_at": lost_at,
            "enter": enter,
            "next_enter": next_enter,
            "happened": happened,
            "current": current,
            "status": status,
            "stalled": stalled,
            "quiet": quiet,
            "table": {
                "id": np.arange(1, n + 1),
                "code": codes,
                "name": names,
                "customer_id": customers["table"]["id"][customer],
                "owner_id": org["rep_id"][rep],
                "team_id": org["rep_team"][rep] + 1,
                "region_id": org["rep_region"][rep] + 1,
                "product_line_id": pl + 1,
                "amount_minor": amount,
                "source": np.array(SOURCES, dtype=object)[source],
                "created_on": created_d,
                "current_stage_id": self.stage_col_ids[current],
                "stage_entered_on": self.dates(entered),
                "status": np.array(["open", "won", "lost"], dtype=object)[status],
                "lost_stage_id": np.where(status == 2, self.stage_col_ids[lost_at.clip(0)], None),
                "lost_reason": reason,
                "expected_close_on": self.dates(plan),
                "won_on": self.dates(np.where(status == 1, enter[:, 5], _NONE)),
                "lost_on": self.dates(np.where(status == 2, enter[:, 6], _NONE)),
                "version": np.ones(n, dtype=np.int64),
            },
        }

    def stage_history(self, opps: dict[str, Any]) -> dict[str, Any]:
        """One row per stay in a stage (the terminal "lost" stage is an outcome, not a stay)."""
        opp, col = np.nonzero(opps["happened"][:, :6])  # row-major: by opportunity, then stage
        left = opps["next_enter"][opp, col]
        left = np.where(left <= self.today_idx, left, _NONE)
        return {
            "id": np.arange(1, len(opp) + 1),
            "opportunity_id": opp + 1,
            "stage_id": self.stage_col_ids[col],
            "entered_on": self.dates(opps["enter"][opp, col]),
            "left_on": self.dates(left),
        }

    def key_actions(self, opps: dict[str, Any]) -> dict[str, Any]:
        """Planned steps of every stage reached; done dates follow the stage's real pace."""
        rng = self.rng(5)
        k = self.spec.actions_per_stage
        happened = opps["happened"][:, :6]
        per_stage = np.array([min(k, len(s.key_actions_zh)) for s in self.stages])
        opp, col = np.nonzero(happened)
        n_act = per_stage[col]
        slot = np.repeat(np.arange(k), len(opp))
        opp = np.tile(opp, k)
        col = np.tile(col, k)
        n_act = np.tile(n_act, k)
        keep = slot < n_act
        opp, col, i, n_act = opp[keep], col[keep], slot[keep], n_act[keep]
        order = np.lexsort((i, col, opp))
        opp, col, i, n_act = opp[order], col[order], i[order], n_act[order]
        n = len(opp)
        enter = opps["enter"][opp, col]
        dur = opps["duration"][opp, col]
        frac = (i + 1) / n_act
        planned = enter + np.maximum(1, np.rint(self.standard[col] * frac)).astype(np.int64)
        progress = enter + np.maximum(1, np.rint(dur * frac)).astype(np.int64)
        progress = np.clip(progress - rng.choice(3, n, p=[0.6, 0.3, 0.1]), enter, enter + dur)
        dropped = (opps["lost_at"][opp] == col) & (i == n_act - 1)  # lost before finishing
        # Nothing gets done on a deal after it went quiet.
        done = np.where((progress <= opps["quiet"][opp]) & ~dropped, progress, _NONE)
        late = np.where(done < _NONE, done > planned, planned <= self.today_idx)
        flag = np.where(
            late, _choice(rng, DELAY_FLAGS, n), np.where(rng.random(n) < 0.03, "竞品威胁", "")
        )
        feedback = np.where(
            late,
            np.array(PROBLEM_FEEDBACK, dtype=object)[rng.integers(0, len(PROBLEM_FEEDBACK), n)],
            np.where(done < _NONE, _choice(rng, GOOD_FEEDBACK, n), ""),
        )
        action_names = [s.key_actions_zh for s in self.stages]
        texts = np.array(
            [
                names[-p + j]
                for names, p in zip(action_names, per_stage, strict=True)
                for j in range(k)
            ],
            dtype=object,
        )
        text = texts[col * k + i]
        deliverables = np.array([s.deliverable_zh for s in self.stages], dtype=object)
        return {
            "opp": opp,
            "col": col,
            "done": done,
            "planned": planned,
            "text": text,
            "flag": flag,
            "table": {
                "id": np.arange(1, n + 1),
                "opportunity_id": opp + 1,
                "stage_id": self.stage_col_ids[col],
                "owner_id": opps["table"]["owner_id"][opp],
                "action": text,
                "planned_on": self.dates(planned),
                "done_on": self.dates(done),
                "deliverable": np.where((done < _NONE) & (i == n_act - 1), deliverables[col], ""),
                "customer_feedback": feedback,
                "risk_flag": flag,
            },
        }

    def visits(
        self, opps: dict[str, Any], customers: dict[str, Any], org: dict[str, Any]
    ) -> dict[str, Any]:
        """Visits during each deal's life, plus account-care visits; top reps visit more."""
        rng = self.rng(6)
        rep, status, enter, dur = opps["rep"], opps["status"], opps["enter"], opps["duration"]
        end = np.where(status == 2, enter[:, 6], opps["quiet"])
        end = np.where(status == 1, np.minimum(enter[:, 5] + dur[:, 5], self.today_idx), end)
        reached = opps["happened"][:, :6].sum(axis=1)
        lam = self.spec.visits_per_opportunity * reached / 3 * org["diligence"][rep]
        per_opp = rng.poisson(lam)
        opp = np.repeat(np.arange(opps["n"]), per_opp)
        start = opps["created"][opp]
        day = start + np.floor(rng.random(len(opp)) * (end[opp] - start + 1)).astype(np.int64)
        # Account care: visits to customers without a specific deal.
        n_care = len(opp) // 10
        care_customer = rng.choice(
            customers["n"], size=n_care, p=customers["weight"] / customers["weight"].sum()
        )
        care_day = rng.integers(self.start_idx, self.today_idx + 1, n_care)
        customer = np.r_[opps["customer"][opp], care_customer]
        visit_rep = np.r_[rep[opp], customers["owner"][care_customer]]
        day = np.r_[day, care_day]
        n = len(day)
        order = np.lexsort((np.r_[opp, np.full(n_care, opps["n"])], day))
        customer, visit_rep, day = customer[order], visit_rep[order], day[order]
        opp_id = np.r_[opp + 1, np.zeros(n_care, dtype=np.int64)][order]
        win = org["win"][visit_rep]
        minutes = np.where(
            rng.random(n) < 0.07,
            rng.integers(5, 10, n),
            (np.rint(np.clip(45 * np.exp(rng.normal(0, 0.5, n)), 10, 240) / 5) * 5).astype(
                np.int64
            ),
        )
        decision_maker = rng.random(n) < np.clip(0.35 + 0.3 * (win - 1), 0.1, 0.8)
        need = rng.random(n) < np.clip(0.55 + 0.25 * (win - 1), 0.2, 0.9)
        effective = decision_maker & (minutes >= 10) & need
        commitment = np.where(
            effective | (rng.random(n) < 0.2),
            np.array(COMMITMENTS, dtype=object)[rng.integers(0, len(COMMITMENTS), n)],
            "",
        )
        return {
            "id": np.arange(1, n + 1),
            "customer_id": customer + 1,
            "opportunity_id": np.where(opp_id > 0, opp_id, None),
            "rep_id": org["rep_id"][visit_rep],
            "visited_on": self.dates(day),
            "minutes": minutes,
            "with_decision_maker": decision_maker,
            "need_obtained": need,
            "effective": effective,
            "goal": np.array(VISIT_GOALS, dtype=object)[rng.integers(0, len(VISIT_GOALS), n)],
            "commitment": commitment,
            "_day": day,
            "_opp": opp_id - 1,
        }

    def finish_opportunities(
        self, opps: dict[str, Any], actions: dict[str, Any], visits: dict[str, Any]
    ) -> None:
        """Last activity, risk flag, next step and update stamp from the deal's activity."""
        rng = self.rng(7)
        n, status, current = opps["n"], opps["status"], opps["current"]
        entered = opps["enter"][np.arange(n), current]
        last = entered.copy()
        done = actions["done"] < _NONE
        np.maximum.at(last, actions["opp"][done], actions["done"][done])
        with_opp = visits["_opp"] >= 0
        np.maximum.at(last, visits["_opp"][with_opp], visits["_day"][with_opp])
        # Calls and mails keep most open deals warm; stalled ones go quiet.
        is_open = status == 0
        warm = is_open & (opps["quiet"] == self.today_idx) & (rng.random(n) < 0.6)
        last = np.where(warm, np.maximum(last, self.today_idx - rng.geometric(0.4, n) + 1), last)
        last = np.minimum(last, self.today_idx)
        table = opps["table"]
        table["last_activity_on"] = self.dates(last)
        # The current stage's first unfinished action is the next step (and carries its flag).
        a_opp, a_col = actions["opp"], actions["col"]
        pending = np.flatnonzero((~done) & is_open[a_opp] & (a_col == current[a_opp]))
        first_opp, first_row = np.unique(a_opp[pending], return_index=True)
        rows = pending[first_row]
        next_step = np.full(n, "", dtype=object)
        risk = np.full(n, "", dtype=object)
        next_step[first_opp] = actions["text"][rows]
        overdue = actions["planned"][rows] <= self.today_idx
        risk[first_opp[overdue]] = actions["flag"][rows[overdue]]
        table["next_step"] = next_step
        table["risk_flag"] = risk
        stamps = self.dates(last).astype("datetime64[s]") + np.timedelta64(10, "h")
        table["updated_at"] = [d.replace(tzinfo=UTC) for d in stamps.tolist()]

    def collections(self, opps: dict[str, Any]) -> dict[str, Any]:
        """1–3 instalments per won deal; most paid around the due date, some late or open."""
        rng = self.rng(8)
        won = np.flatnonzero(opps["status"] == 1)
        plans = ((1.0,), (0.5, 0.5), (0.7, 0.3), (0.3, 0.6, 0.1), (0.3, 0.4, 0.3))
        plan = rng.choice(len(plans), size=len(won), p=[0.35, 0.25, 0.15, 0.15, 0.10])
        enter, dur = opps["enter"], opps["duration"]
        signed = enter[won, 5]  # the contract is signed as the deal enters delivery
        delivered = enter[won, 5] + dur[won, 5]
        slow_payer = rng.random(opps["customer"].max() + 1) < 0.06
        opp_l, due_l, amt_l = [], [], []
        for p, shares in enumerate(plans):
            rows = won[plan == p]
            amount = opps["amount"][rows]
            paid = np.zeros(len(rows), dtype=np.int64)
            base = plan == p
            for j, share in enumerate(shares):
                if j == len(shares) - 1:
                    part = amount - paid
                else:
                    part = (amount * share // (100 * YUAN)).astype(np.int64) * 100 * YUAN
                paid += part
                due = (signed[base] + 10, delivered[base] + 10, delivered[base] + 70)[j]
                opp_l.append(rows)
                due_l.append(due)
                amt_l.append(part)
        opp = np.concatenate(opp_l)
        due = np.concatenate(due_l)
        amount = np.concatenate(amt_l)
        order = np.lexsort((due, opp))
        opp, due, amount = opp[order], due[order], amount[order]
        n = len(opp)
        delay = np.where(rng.random(n) < 0.65, -rng.integers(0, 5, n), rng.integers(1, 40, n))
        delay = np.where(slow_payer[opps["customer"][opp]], rng.integers(30, 90, n), delay)
        paid_on = due + delay
        unpaid = rng.random(n) < 0.03
        collected = (paid_on <= self.today_idx) & ~unpaid
        partial = collected & (rng.random(n) < 0.03)
        collected_amount = np.where(collected, np.where(partial, amount // 2, amount), 0)
        return {
            "id": np.arange(1, n + 1),
            "opportunity_id": opp + 1,
            "due_on": self.dates(due),
            "due_minor": amount,
            "collected_on": self.dates(np.where(collected, paid_on, _NONE)),
            "collected_minor": collected_amount,
        }

    # -- goals ---------------------------------------------------------------------------

    def goals(
        self, org: dict[str, Any], customers: dict[str, Any], opps: dict[str, Any]
    ) -> dict[str, Any]:
        """Revenue and new-customer goals per month, quarter and year, decomposed down to
        reps and summed bottom-up, except ``MISALIGNED_GOAL``."""
        rng = self.rng(9)
        months = []
        d = self.goal_start
        while d <= self.goal_end:
            months.append(d)
            d = _add_months(d, 1)
        n_months = len(months)
        first_key = self.goal_start.year * 12 + self.goal_start.month - 1
        complete = np.array([_add_months(d, 1) <= self.today for d in months])
        n_reps = len(org["rep_id"])

        def month_index(days: np.ndarray) -> np.ndarray:
            ym = days.astype("datetime64[M]").astype(np.int64) + 1970 * 12
            return ym - first_key

        # Actual revenue per rep, product line and month (won deals by won date).
        revenue = np.zeros((n_reps, 3, n_months), dtype=np.int64)
        won = np.flatnonzero(opps["status"] == 1)
        mi = month_index(self.dates(opps["enter"][won, 5]))
        ok = (mi >= 0) & (mi < n_months)
        np.add.at(
            revenue, (opps["rep"][won][ok], opps["pl"][won][ok], mi[ok]), opps["amount"][won][ok]
        )
        # New customers per rep and month: each customer's first won deal (not the day the
        # customer row was created), credited to that deal's rep.
        new = np.zeros((n_reps, n_months), dtype=np.int64)
        signed = opps["enter"][won, 5]
        first = np.lexsort((won, signed, opps["customer"][won]))  # by customer, then day, id
        customer = opps["customer"][won][first]
        leading = np.r_[True, customer[1:] != customer[:-1]]
        firsts = won[first][leading]
        mi = month_index(self.dates(opps["enter"][firsts, 5]))
        ok = (mi >= 0) & (mi < n_months)
        np.add.at(new, (opps["rep"][firsts][ok], mi[ok]), 1)

        plan_rev = self.company_plan(rng, revenue.sum(axis=(0, 1)).astype(float), complete)
        plan_new = self.company_plan(rng, new.sum(axis=0).astype(float), complete)
        # Shares blend what each rep sold with their expected capacity.
        pl_value = np.array([p[3] * p[4] for p in PRODUCT_LINES])
        expected = org["capacity"][:, None] * org["win"][:, None] * pl_value[None, :]
        sold = revenue[:, :, complete].sum(axis=2).astype(float)
        share = 0.6 * sold / max(sold.sum(), 1) + 0.4 * expected / expected.sum()
        leaf_rev = np.maximum(1, np.rint(plan_rev[None, None, :] * share[:, :, None] / WAN_YUAN))
        leaf_rev = leaf_rev.astype(np.int64) * WAN_YUAN
        new_share = 0.5 * new.sum(axis=1) / max(new.sum(), 1) + 0.5 / n_reps
        leaf_new = np.stack(
            [_largest_remainder(int(round(t)), new_share) for t in plan_new], axis=1
        )

        periods = [
            (f"{d:%Y-%m}", d, _add_months(d, 1) - timedelta(days=1), [j])
            for j, d in enumerate(months)
        ]
        for j in range(0, n_months, 3):
            q = months[j]
            periods.append(
                (quarter_label(q), q, _add_months(q, 3) - timedelta(days=1), list(range(j, j + 3)))
            )
        for year in sorted({d.year for d in months}):
            idx = [j for j, d in enumerate(months) if d.year == year]
            if len(idx) == 12:
                periods.append((str(year), date(year, 1, 1), date(year, 12, 31), idx))
        return _GoalTree(org, self.today).build(periods, leaf_rev, leaf_new)

    @staticmethod
    def company_plan(
        rng: np.random.Generator, actual: np.ndarray, complete: np.ndarray
    ) -> np.ndarray:
        """Company target per month: a stretch over the smoothed actuals for past months,
        the recent run rate with growth for the current and future months."""
        plan = np.zeros(len(actual))
        done = np.flatnonzero(complete)
        if len(done):
            smooth = np.convolve(actual[done], np.ones(3), "same") / np.convolve(
                np.ones(len(done)), np.ones(3), "same"
            )
            plan[done] = smooth * rng.uniform(0.95, 1.3, len(done))
            run = actual[done[-3:]].mean()
        else:
            run = actual.mean()
        ahead = np.flatnonzero(~complete)
        plan[ahead] = (
            run * 1.02 ** np.arange(1, len(ahead) + 1) * rng.uniform(1.0, 1.15, len(ahead))
        )
        return plan


class _GoalTree:
    """Goal rows (parents before children) for every period; targets summed bottom-up."""

    COLUMNS = (
        "id", "period", "period_start", "period_end", "metric", "scope", "parent_id",
        "product_line_id", "region_id", "team_id", "user_id", "owner_id", "target",
    )  # fmt: skip

    def __init__(self, org: dict[str, Any], today: date) -> None:
        self.org = org
        self.current_quarter = quarter_label(today)
        self.rows: dict[str, Any] = {k: [] for k in self.COLUMNS}
        self.period: tuple = ()
        self.metric = ""
        self.misaligned_id = 0
        leaders = org["leaders"]
        self.company_owner = leaders[0]
        self.pl_owner = [leaders[p % len(leaders)] for p in range(len(PRODUCT_LINES))]
        # Each region's goals are owned by the manager of its first team.
        first_team = [np.flatnonzero(org["team_region"] == r)[0] for r in range(len(REGIONS))]
        self.region_owner = [int(org["team_manager"][t]) for t in first_team]

    def node(self, scope: str, parent: int | None, target: int, owner: int, **ids: int) -> int:
        """Add one goal of the current period and metric; returns its id."""
        label, start, end, _ = self.period
        goal_id = len(self.rows["id"]) + 1
        row = dict.fromkeys(self.COLUMNS)
        row.update(ids, id=goal_id, period=label, period_start=start, period_end=end)
        row.update(metric=self.metric, scope=scope, parent_id=parent, owner_id=owner)
        row["target"] = int(target)
        for key, value in row.items():
            self.rows[key].append(value)
        return goal_id

    def build(self, periods: list[tuple], leaf_rev: np.ndarray, leaf_new: np.ndarray) -> dict:
        for period in periods:
            self.period = period
            self.revenue(leaf_rev[:, :, period[3]].sum(axis=2))
            self.new_customers(leaf_new[:, period[3]].sum(axis=1))
        self.rows["_misaligned_id"] = self.misaligned_id
        return self.rows

    def revenue(self, rep_pl: np.ndarray) -> None:
        """company -> product line -> region -> team -> rep; ``rep_pl`` is rep x product line."""
        org, self.metric = self.org, m.GoalMetric.REVENUE
        bad_pl = [p[0] for p in PRODUCT_LINES].index(MISALIGNED_GOAL.product_line_code)
        bad_region = [r[0] for r in REGIONS].index(MISALIGNED_GOAL.region_code)
        team = [
            np.bincount(org["rep_team"], rep_pl[:, p], len(org["team_region"])) for p in range(3)
        ]
        region = np.array([np.bincount(org["team_region"], t, 3) for t in team]).astype(np.int64)
        misaligned = self.period[0] == self.current_quarter
        if misaligned:
            inflated = int(region[bad_pl, bad_region] * (1 + MISALIGNED_GOAL.excess))
            region[bad_pl, bad_region] = -(-inflated // WAN_YUAN) * WAN_YUAN
        company = self.node(m.GoalScope.COMPANY, None, region.sum(), self.company_owner)
        for p in range(3):
            pl = self.node(
                m.GoalScope.PRODUCT_LINE, company, region[p].sum(), self.pl_owner[p],
                product_line_id=p + 1,
            )  # fmt: skip
            for r in range(3):
                goal = self.node(
                    m.GoalScope.REGION, pl, region[p, r], self.region_owner[r],
                    product_line_id=p + 1, region_id=r + 1,
                )  # fmt: skip
                if misaligned and (p, r) == (bad_pl, bad_region):
                    self.misaligned_id = goal
                self.teams_and_reps(goal, r, rep_pl[:, p], product_line_id=p + 1)

    def new_customers(self, rep_counts: np.ndarray) -> None:
        """company -> region -> team -> rep (new customers are not split by product line)."""
        org, self.metric = self.org, m.GoalMetric.NEW_CUSTOMERS
        region = _sum_by(org["rep_region"], rep_counts, 3)
        company = self.node(m.GoalScope.COMPANY, None, region.sum(), self.company_owner)
        for r in range(3):
            goal = self.node(
                m.GoalScope.REGION, company, region[r], self.region_owner[r], region_id=r + 1
            )
            self.teams_and_reps(goal, r, rep_counts)

    def teams_and_reps(self, parent: int, region: int, rep_targets: np.ndarray, **ids: int) -> None:
        org = self.org
        for t in np.flatnonzero(org["team_region"] == region).tolist():
            reps = np.flatnonzero(org["rep_team"] == t)
            where = {**ids, "region_id": region + 1, "team_id": t + 1}
            manager = int(org["team_manager"][t])
            team = self.node(m.GoalScope.TEAM, parent, rep_targets[reps].sum(), manager, **where)
            for r in reps.tolist():
                user = int(org["rep_id"][r])
                self.node(m.GoalScope.REP, team, rep_targets[r], user, user_id=user, **where)
