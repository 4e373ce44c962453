"""Column mapping: which spreadsheet column feeds which field of an import kind.

Headers are matched to fields through their Chinese and English synonyms (``kinds``),
ignoring case, width, spaces, a required-marker (``*``, ``(必填)``) and a unit in brackets
(``金额（万元）``; the unit scales bare numbers, see ``header_unit``). A mapping the user
corrected is remembered per *template*: the same header set (in any order) gets it back.
Templates are per user; an admin may share one with everyone (audited). A user's own
template wins over the shared one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import or_, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.importing.kinds import (
    KINDS,
    OPPORTUNITIES,
    STAGE_DATE_PREFIX,
    FieldSpec,
    KindSpec,
    stage_date_field,
    stage_date_headers,
)
from salesboard.importing.values import match_key
from salesboard.store.models import ImportTemplate, utcnow

# A bracketed note at the end of a header: 金额(万元), 时长（分钟）, 日期 [yyyy-mm-dd], 编号(必填)
_BRACKETED = re.compile(r"[(（\[【<《]([^)）\]】>》]*)[)）\]】>》]\s*$")
_MARKERS = re.compile(r"^[*＊※]+|[*＊※:：]+$")
_OPTIONAL_WORDS = {"必填", "选填", "可选", "必输", "required", "optional", "可空"}
# Units of money in a header, as a power of ten of yuan.
_UNITS = {"元": 0, "人民币元": 0, "rmb": 0, "cny": 0, "¥": 0, "千元": 3, "万元": 4, "万": 4,
          "百万元": 6, "百万": 6, "千万元": 7, "亿元": 8, "亿": 8, "k": 3, "千": 3, "w": 4,
          "m": 6, "mn": 6}  # fmt: skip
_UNIT_SUFFIX = re.compile(r"(千元|万元|百万元|千万元|亿元)$")

EXACT, CLEANED, CONTAINED = 3, 2, 1


@dataclass(frozen=True)
class HeaderParts:
    """A header split into its matching key and the unit it names (10^exponent yuan)."""

    key: str
    unit_exponent: int | None


def header_parts(header: object) -> HeaderParts:
    """The loose key of a header without markers, required-notes and unit, plus its unit."""
    text = str(header or "").strip()
    unit: int | None = None
    while True:
        text = _MARKERS.sub("", text).strip()
        found = _BRACKETED.search(text)
        if not found:
            break
        inner = (match_key(found.group(1)) or "").replace("单位", "").strip(":：")
        if inner in _UNITS:
            unit = _UNITS[inner]
        elif inner not in _OPTIONAL_WORDS and not _looks_like_format(inner):
            break  # a meaningful bracket (e.g. 时长(分钟) keeps its words below)
        text = text[: found.start()].strip()
    key = match_key(text) or ""
    suffix = _UNIT_SUFFIX.search(key)
    if unit is None and suffix and len(key) > len(suffix.group(1)):
        unit = _UNITS[suffix.group(1)]
        key = key[: suffix.start()]
    return HeaderParts(key, unit)


def _looks_like_format(inner: str) -> bool:
    return bool(re.fullmatch(r"[ymd/\-.年月日]+|分钟|min|minutes|天|days|%|％", inner))


def header_key(header: object) -> str:
    """The key headers are matched and fingerprinted by (``header_parts(...).key``)."""
    parts = header_parts(header)
    if parts.key:
        return parts.key
    return (match_key(header) or "").replace("(", "").replace(")", "")


def header_unit(header: object) -> int | None:
    """The money unit a header names, as a power of ten of yuan (金额（万元） -> 4), or None."""
    return header_parts(header).unit_exponent


def scale_bare_numbers(raw: pd.Series, fen: pd.Series, exponent: int) -> pd.Series:
    """Multiply cells that are plain numbers (no unit, no currency) by 10^exponent: in a
    金额（万元） column 85 means 85万 while 85万 stays 85万."""
    if exponent == 0:
        return fen
    values = raw.to_numpy(dtype=object)
    bare = np.fromiter(
        (
            isinstance(v, int | float)
            and not isinstance(v, bool)
            or (isinstance(v, str) and _is_plain_number(v))
            for v in values
        ),
        dtype=bool,
        count=len(values),
    )
    scaled = fen.copy()
    mask = bare & fen.notna().to_numpy()
    if mask.any():
        scaled[mask] = fen[mask].astype("Int64") * 10**exponent
    return scaled


def _is_plain_number(text: str) -> bool:
    stripped = text.strip().replace(",", "")
    if stripped.startswith("-"):
        stripped = stripped[1:]
    return bool(stripped) and stripped.replace(".", "", 1).isdigit()


def _bracket_free(header: object) -> str:
    """The header with every bracket character dropped (时长(分钟) -> 时长分钟)."""
    return re.sub(r"[()（）\[\]【】<>《》]", "", match_key(header) or "")


def fields_of(kind: KindSpec, stages: Sequence[tuple[str, str, str]] = ()) -> list[FieldSpec]:
    """The kind's fields plus, for opportunities, one entry-date field per stage
    (``stages`` as (code, name_zh, name_en), the terminal "lost" stage excluded)."""
    fields = list(kind.fields)
    if kind is OPPORTUNITIES:
        for code, _zh, _en in stages:
            fields.append(FieldSpec(stage_date_field(code), "date", concept="stage_date"))
    return fields


def _spellings(spec: FieldSpec, stages: Mapping[str, tuple[str, str, str]]) -> tuple[str, ...]:
    if spec.name.startswith(STAGE_DATE_PREFIX):
        code = spec.name[len(STAGE_DATE_PREFIX) :]
        zh, en = stages[code][1], stages[code][2]
        return stage_date_headers(zh, en, code)
    return spec.synonyms()


def auto_map(
    headers: Sequence[str],
    kind: KindSpec,
    stages: Sequence[tuple[str, str, str]] = (),
) -> dict[str, str]:
    """{field: header} matched by synonyms; each header feeds at most one field. Exact
    matches win over cleaned ones (markers, units and brackets dropped); a header that
    merely contains a synonym (the longest first) is used only when no field of the kind
    matches it exactly or cleanly (客户反馈 never feeds "customer")."""
    stage_map = {code: (code, zh, en) for code, zh, en in stages}
    keys = [(match_key(h) or "", header_key(h), _bracket_free(h)) for h in headers]
    strong: list[tuple[int, int, str, str]] = []  # score, -order, field, header
    weak: list[tuple[int, int, str, str]] = []
    for f_order, spec in enumerate(fields_of(kind, stages)):
        for s_order, spelling in enumerate(_spellings(spec, stage_map)):
            exact, bare = match_key(spelling) or "", _bracket_free(spelling)
            order = -(f_order * 1000 + s_order)
            for h_order, (plain, cleaned, no_brackets) in enumerate(keys):
                header = headers[h_order]
                if plain == exact:
                    strong.append((EXACT, order * 1000 - h_order, spec.name, header))
                elif cleaned == exact or no_brackets == bare:
                    strong.append((CLEANED, order * 1000 - h_order, spec.name, header))
                elif len(exact) >= 2 and exact in cleaned and _may_contain(spec, cleaned):
                    weak.append((len(exact), order * 1000 - h_order, spec.name, header))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for *_, name, header in sorted(strong, reverse=True):
        if name not in mapping and header not in used:
            mapping[name] = header
            used.add(header)
    claimed = {header for *_, header in strong}
    for *_, name, header in sorted(weak, reverse=True):
        if name not in mapping and header not in used and header not in claimed:
            mapping[name] = header
            used.add(header)
    return mapping


_DATE_WORDS = ("日期", "时间", "date", "entered", "since", "on")


def _may_contain(spec: FieldSpec, cleaned_header: str) -> bool:
    """Containment is a weak hint: a date-like header only feeds a date field, and a date
    field only takes a date-like header (阶段开始日期 is no stage name)."""
    dated = cleaned_header.endswith(_DATE_WORDS)
    return dated == (spec.type == "date")


def detect_kind(
    headers: Sequence[str],
    stages: Sequence[tuple[str, str, str]] = (),
    allowed: Sequence[str] | None = None,
) -> tuple[str | None, dict[str, int]]:
    """The kind whose required fields all match and which matches the most columns, then
    the most of them by their own name rather than by a word inside a longer header (客户类型
    names a customer's type, not the list of an organisation sheet); None when no kind's
    required fields are all present. Also every kind's score."""
    scores: dict[str, int] = {}
    best: tuple[int, int, int, str] | None = None
    for name, kind in KINDS.items():
        if allowed is not None and name not in allowed:
            continue
        mapped = auto_map(headers, kind, stages)
        complete = all(f in mapped for f in kind.required)
        scores[name] = len(mapped)
        if complete:
            rank = (len(mapped), _named_outright(mapped, kind, stages), -len(kind.fields), name)
            if best is None or rank > best:
                best = rank
    return (best[-1] if best else None), scores


def _named_outright(mapped: Mapping[str, str], kind: KindSpec, stages) -> int:
    """How many of the mapped headers are one of their field's spellings (after cleaning)."""
    stage_map = {code: (code, zh, en) for code, zh, en in stages}
    count = 0
    for spec in fields_of(kind, stages):
        header = mapped.get(spec.name)
        if header is None:
            continue
        keys = {match_key(header) or "", header_key(header)}
        count += any(match_key(s) in keys for s in _spellings(spec, stage_map))
    return count


def header_fingerprint(headers: Sequence[str]) -> str:
    """SHA-256 of the sorted header keys: the same header set in any order, spacing or
    width gives the same fingerprint."""
    keys = sorted(header_key(h) for h in headers if header_key(h))
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def _templates_for(viewer: Viewer | None):
    """The templates ``viewer`` starts from: their own, then the shared one (owner NULL)."""
    shared = ImportTemplate.owner_id.is_(None)
    if viewer is None or viewer.user_id is None:
        return shared
    return or_(ImportTemplate.owner_id == viewer.user_id, shared)


def _own_first():
    return ImportTemplate.owner_id.is_(None), ImportTemplate.updated_at.desc()


def template_for(
    session: Session, kind: str, headers: Sequence[str], viewer: Viewer | None = None
) -> ImportTemplate | None:
    """``viewer``'s template for this header set and kind, else the shared one (without a
    viewer: the shared one only)."""
    return session.execute(
        select(ImportTemplate)
        .where(
            ImportTemplate.kind == kind,
            ImportTemplate.fingerprint == header_fingerprint(headers),
            _templates_for(viewer),
        )
        .order_by(*_own_first())
        .limit(1)
    ).scalar_one_or_none()


def saved_mapping(
    session: Session, kind: str, headers: Sequence[str], viewer: Viewer | None = None
) -> dict[str, str] | None:
    """The mapping remembered for this header set and kind (``template_for``), restricted
    to headers present now (None when there is none)."""
    template = template_for(session, kind, headers, viewer)
    return None if template is None else _present(template.mapping, headers)


def _present(stored_json: str, headers: Sequence[str]) -> dict[str, str]:
    stored: dict[str, str] = json.loads(stored_json or "{}")
    by_key = {header_key(h): h for h in headers}
    mapping = {}
    for field_name, header in stored.items():
        if header in headers:
            mapping[field_name] = header
        elif header_key(header) in by_key:  # same header, other spacing or width
            mapping[field_name] = by_key[header_key(header)]
    return mapping


def kind_with_template(
    session: Session, headers: Sequence[str], viewer: Viewer | None = None
) -> str | None:
    """The kind of ``viewer``'s most recent template for this header set, else of the
    shared one, if any."""
    return session.execute(
        select(ImportTemplate.kind)
        .where(ImportTemplate.fingerprint == header_fingerprint(headers), _templates_for(viewer))
        .order_by(*_own_first())
        .limit(1)
    ).scalar_one_or_none()


def save_mapping(
    session: Session,
    actor: Viewer,
    kind: str,
    headers: Sequence[str],
    mapping: Mapping[str, str],
    *,
    shared: bool = False,
) -> ImportTemplate:
    """Remember ``mapping`` for this header set as ``actor``'s own template (replacing an
    earlier one), or, ``shared``, as everyone's (admins only; the command line without a
    user, the system, can only share). Audited: "save", or "share" for a shared one.
    Raises PermissionDenied, ValueError."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    unknown = {h for h in mapping.values() if h not in headers}
    if unknown:
        raise ValueError(f"mapping names columns the file does not have: {sorted(unknown)}")
    shared = shared or actor.user_id is None
    if shared and not actor.is_admin:
        raise PermissionDenied(
            "import.share_template", "only an admin shares a template with everyone"
        )
    owner = None if shared else actor.user_id
    fingerprint = header_fingerprint(headers)
    row = session.execute(
        select(ImportTemplate).where(
            ImportTemplate.kind == kind,
            ImportTemplate.fingerprint == fingerprint,
            ImportTemplate.owner_id.is_(None) if shared else ImportTemplate.owner_id == owner,
        )
    ).scalar_one_or_none()
    old = json.loads(row.mapping) if row is not None else {}
    if row is None:
        row = ImportTemplate(
            kind=kind, fingerprint=fingerprint, created_by=actor.user_id, owner_id=owner
        )
    row.headers = json.dumps(list(headers), ensure_ascii=False)
    row.mapping = json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="share" if shared else "save",
        entity="import_template",
        entity_id=row.id,
        summary=f"{kind}: {len(mapping)} columns" + (", shared with everyone" if shared else ""),
        old=old,
        new=dict(mapping),
    )
    return row


def resolve_mapping(
    session: Session | None,
    kind: KindSpec,
    headers: Sequence[str],
    stages: Sequence[tuple[str, str, str]] = (),
    viewer: Viewer | None = None,
) -> tuple[dict[str, str], ImportTemplate | None]:
    """(mapping, template): ``viewer``'s remembered mapping for this header set (else the
    shared one), or the automatic one with template None."""
    if session is not None:
        template = template_for(session, kind.name, headers, viewer)
        if template is not None:
            return _present(template.mapping, headers), template
    return auto_map(headers, kind, stages), None


def check_mapping(kind: KindSpec, mapping: Mapping[str, str], headers: Sequence[str]) -> list[str]:
    """Problems with a (user-edited) mapping: required fields left out, unknown columns, a
    column used twice. Returns i18n-ready codes "missing:<field>", "unknown_column:<h>",
    "twice:<h>"."""
    problems = [f"missing:{f}" for f in kind.required if not mapping.get(f)]
    seen: set[str] = set()
    for header in mapping.values():
        if not header:
            continue
        if header not in headers:
            problems.append(f"unknown_column:{header}")
        elif header in seen:
            problems.append(f"twice:{header}")
        seen.add(header)
    return problems


def parse_mapping_option(text: str, headers: Sequence[str]) -> dict[str, str]:
    """A mapping given on the command line: JSON {field: header} inline or in a file."""
    from pathlib import Path

    source = text
    path = Path(text)
    if not text.lstrip().startswith("{") and path.exists():
        source = path.read_text(encoding="utf-8")
    try:
        mapping = json.loads(source)
    except json.JSONDecodeError as error:
        raise ValueError(f"--mapping is neither JSON nor a JSON file: {error}") from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ValueError('--mapping must be a JSON object {"field": "column header"}')
    return mapping


def stage_triples(stages: Sequence) -> list[tuple[str, str, str]]:
    """(code, name_zh, name_en) of the stages a date column can exist for (not "lost")."""
    return [(s.code, s.name_zh, s.name_en) for s in stages if s.kind != "lost"]
