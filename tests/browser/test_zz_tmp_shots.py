import pytest
from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.db import create_store_engine
from salesboard.store.models import Role, User
from salesboard.store.tables import OPP
from tests.browser.conftest import ensure_signed_in, wait_for_app
from tests.browser.test_page_screenshots import whole_page_screenshot

pytestmark = pytest.mark.browser


def test_shots(app_server, browser, demo_store):
    engine = create_store_engine(demo_store)
    with Session(engine) as s:
        rep, code = s.execute(select(User.username, OPP.c.code).join(User, User.id == OPP.c.owner_id)
            .where(User.role == Role.REP, OPP.c.status == "open").order_by(OPP.c.id.desc())).first()
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{app_server}/?lang=zh")
        ensure_signed_in(page, rep)
        for lang, tab in (("zh", "附件"), ("en", "Files")):
            page.goto(f"{app_server}/opportunity?code={code}&lang={lang}")
            wait_for_app(page)
            page.get_by_role("tab", name=tab, exact=True).click()
            wait_for_app(page)
            page.wait_for_timeout(500)
            whole_page_screenshot(page, f"/tmp/shot3-files-{lang}-{width}.png", width)
        context.close()
