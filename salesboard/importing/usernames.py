"""Usernames for a roster that has none (issue 14): HR hands over 姓名 / 团队 / 区域 / 角色,
and each new person needs a login.

Where a row gives one, the 工号 (employee number) is the username as typed, else the
e-mail's local part, else the name in pinyin, surname first: 张伟 -> zhang.wei, 欧阳娜娜 ->
ouyang.nana, a Latin name as it is written (Zhang Wei -> zhang.wei). A name already taken,
by a user in the store or by an earlier row of the file, gets the next free number:
zhang.wei2, zhang.wei3 …
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from salesboard.i18n.names import numbered, pinyin
from salesboard.importing.values import match_key

USERNAME_MAX = 64  # as ``User.username``
FALLBACK = "user"  # a name with nothing pinyin or Latin in it
# Compound surnames (复姓): the first two characters are the surname.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 澹台 "
    "万俟 独孤 南宫 西门 呼延 闻人 申屠 太史 钟离 公冶 赫连 第五".split()
)
# Surnames whose reading differs from the character's common one (单 is shan, not dan).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "覃": "qin", "缪": "miao", "乐": "yue", "盖": "ge", "种": "chong", "秘": "bi", "翟": "zhai",
    "员": "yun", "召": "shao", "繁": "po", "隗": "wei", "句": "gou", "宓": "fu", "尉迟": "yuchi",
    "万俟": "moqi", "长孙": "zhangsun", "澹台": "tantai", "重": "chong", "瞿": "qu", "沈": "shen",
    "华": "hua", "任": "ren", "黑": "he", "尉": "yu", "燕": "yan", "纪": "ji", "冼": "xian",
}  # fmt: skip
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")


def _clean(text: str) -> str:
    """Lower-case ASCII letters, digits, ``.``, ``_`` and ``-``; runs of anything else become
    one dot; no dot at either end."""
    cleaned = _NOT_ALLOWED.sub(".", text.lower())
    return re.sub(r"\.{2,}", ".", cleaned).strip("._-")


def pinyin_username(name: str) -> str:
    """``surname.givenname`` in pinyin (张伟 -> zhang.wei), or a Latin name with dots (Zhang
    Wei -> zhang.wei); ``FALLBACK`` when nothing usable is left."""
    text = "".join((match_key(name) or "").split())
    if not _HAN.search(text):
        return _clean(" ".join((name or "").split())) or FALLBACK
    surname_length = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
    surname, given = text[:surname_length], text[surname_length:]
    family = SURNAME_READINGS.get(surname) or pinyin(surname)
    parts = [_clean(family), _clean(pinyin(given))]
    return ".".join(p for p in parts if p)[:USERNAME_MAX] or FALLBACK


def email_username(email: str) -> str:
    """The local part of an e-mail address, cleaned (Zhang.Wei@x.com -> zhang.wei)."""
    return _clean(email.split("@", 1)[0])[:USERNAME_MAX]


def base_username(display_name: str | None, email: str | None, employee_no: str | None) -> str:
    """The username a roster row asks for before collisions: its 工号 (spaces removed),
    else its e-mail's local part, else its name in pinyin."""
    if employee_no and (number := "".join(employee_no.split())):
        return number[:USERNAME_MAX]
    if email and (local := email_username(email)):
        return local
    return pinyin_username(display_name or "")


def unique_usernames(bases: Sequence[str], taken: Iterable[str]) -> list[str]:
    """Each base made unique, in order, against ``taken`` and the earlier results (compared
    as ``match_key``): zhang.wei, zhang.wei2, zhang.wei3 …"""
    return numbered(bases, taken, USERNAME_MAX)
