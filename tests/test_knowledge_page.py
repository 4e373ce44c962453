"""The knowledge base page (AppTest on the demo store): entries listed and searched in
Chinese and English, the body's Markdown rendered safely, a manager writes an entry and a
rep gets no form; an entry's files listed for download (pickers for writers only); both
languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.accounts.access import load_viewer
from salesboard.i18n import t
from salesboard.improvement.knowledge_files import attach_file
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import BestPractice, Role, User
from tests.apptest_support import first_user, open_app

PAGE = "pages/knowledge.py"


def expander_labels(at) -> list[str]:
    return [e.label for e in at.expander]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_in_chinese_and_english(demo_app_env, lang):
    at = open_app(PAGE, lang=lang, user=first_user(Role.REP))
    assert at.title[0].value == t("knowledge.title", lang)
    assert len([x for x in expander_labels(at) if "需求调研清单" in x or "Tiered" in x]) == 2
    assert t("knowledge.new", lang) not in expander_labels(at)  # reps read only
    at.text_input(key="kb_search").set_value("情景").run()
    assert expander_labels(at) == ["需求调研清单：首次拜访前必问的 8 个问题"]
    at.text_input(key="kb_search").set_value("tiered quote").run()
    assert len(expander_labels(at)) == 1 and expander_labels(at)[0].startswith("Tiered quote")
    at.text_input(key="kb_search").set_value("没有这样的内容").run()
    assert at.info[0].value == t("knowledge.none", lang)


def test_a_manager_writes_an_entry_whose_html_stays_text(private_demo_env):
    at = open_app(PAGE, user=first_user(Role.MANAGER))
    at.text_input(key="kb_new_title").set_value("<b>高层拜访</b>")
    at.text_area(key="kb_new_body").set_value(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    at.text_input(key="kb_new_tags").set_value("拜访, visits")
    submit = [b for b in at.button if b.label == t("knowledge.save", "zh")][0]
    submit.click().run()
    assert not at.exception
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        entry = s.execute(
            select(BestPractice).where(BestPractice.title == "<b>高层拜访</b>")
        ).scalar_one()
    engine.dispose()
    at.query_params["entry"] = str(entry.id)
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "[x](javascript" not in shown and "\\[x\\]" in shown  # a link no more


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_entry_lists_its_files_for_download(private_demo_env, lang):
    engine = create_store_engine(private_demo_env)
    with write_session(engine) as s:
        entry = s.execute(select(BestPractice.id).order_by(BestPractice.id)).scalars().first()
        manager = (
            s.execute(select(User.id).where(User.role == Role.MANAGER).order_by(User.id))
            .scalars()
            .first()
        )
        attach_file(s, load_viewer(s, manager), entry, "<b>调研*模板*.pdf", b"%PDF-1.7\n%%EOF\n")
    engine.dispose()
    at = open_app(PAGE, lang=lang, user=first_user(Role.REP))
    at.query_params["entry"] = str(entry)
    at.run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "调研\\*模板\\*" in shown and "<b>" not in shown  # the name is text
    buttons = at.get("download_button")
    assert [bt.proto.label for bt in buttons] == [t("knowledge.download", lang)]
    assert not at.get("file_uploader")  # reps read only
    writer = open_app(PAGE, lang=lang, user=first_user(Role.MANAGER))
    writer.query_params["entry"] = str(entry)
    writer.run()
    assert not writer.exception and writer.get("file_uploader")
