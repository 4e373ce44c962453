"""Project rules that are easy to break silently: every page has an AppTest, every UI string
exists in both languages, and no Streamlit import leaks into the domain package."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from salesboard.i18n import LANGUAGES, TRANSLATIONS
from salesboard.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent


def navigation_pages() -> list[str]:
    return [entry.path for entry in PAGES]


def test_navigation_lists_every_page_file_explicitly():
    listed = set(navigation_pages())
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert listed == on_disk


def test_no_url_path_collides_with_a_page_file():
    stems = {p.stem for p in (ROOT / "pages").glob("*.py")}
    url_paths = {entry.url_path for entry in PAGES}
    assert url_paths and not (url_paths & stems)


@pytest.mark.parametrize("page", navigation_pages())
def test_every_page_has_an_apptest(page):
    tests = "".join(
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_meta.py"
    )
    assert f'"{page}"' in tests, f"no AppTest mentions {page}"


@pytest.mark.parametrize("key", sorted(TRANSLATIONS))
def test_every_string_has_both_languages_with_same_placeholders(key):
    entry = TRANSLATIONS[key]
    assert set(entry) == set(LANGUAGES), key
    fields = {
        lang: {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGUAGES
    }
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert fields["zh"] == fields["en"], key


def _used_keys() -> set[str]:
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("salesboard/**/*.py")]
    pattern = re.compile(r'\b(?:tr|t)\(\s*f?"([a-z_]+\.[a-z_.{}]+)"')
    return {key for path in sources for key in pattern.findall(path.read_text())}


def test_every_used_key_is_translated():
    keys = {k for k in _used_keys() if "{" not in k}
    missing = keys - set(TRANSLATIONS)
    assert not missing


def test_streamlit_is_imported_only_by_the_ui_module():
    # The benchmark too: it drives the whole app through Streamlit's AppTest.
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "salesboard").rglob("*.py")
        if not {"ui", "bench"} & set(p.relative_to(ROOT / "salesboard").parts)
        and re.search(r"^\s*(import|from)\s+streamlit", p.read_text(), re.M)
    ]
    assert offenders == []


def test_every_page_guards_itself_with_its_registry_entry():
    for entry in PAGES:
        assert "ui.page_viewer(__file__)" in (ROOT / entry.path).read_text(), entry.path


def test_pages_hold_no_sql():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert not re.search(
            r"\b(select|insert|update|delete)\s*\(|SELECT |sqlalchemy|sqlmodel", text
        ), page


def test_tests_copy_stores_with_sqlites_backup_api():
    """A store a test process has open is copied with ``copy_sqlite`` only: copying it as a
    file opens and closes it outside SQLite, which drops every SQLite lock the process holds
    on it (POSIX locks belong to the process), so a CLI or server process on the same file
    could checkpoint under the open connections ("database disk image is malformed")."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if re.search(r"shutil\.copy(file|2)?\(", p.read_text())
    ]
    assert offenders == []
