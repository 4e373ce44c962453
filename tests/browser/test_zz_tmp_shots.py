import pytest
from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.db import create_store_engine
from salesboard.store.models import User
from salesboard.store.tables import ASSESSMENT, OPP
from tests.browser.conftest import ensure_signed_in
from tests.browser.test_page_screenshots import whole_page_screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shots(app_server, browser, demo_store, lang, width):
    eng = create_store_engine(demo_store)
    with Session(eng) as s:
        code, user = s.execute(
            select(OPP.c.code, User.username)
            .join(ASSESSMENT, ASSESSMENT.c.opportunity_id == OPP.c.id)
            .join(User, User.id == OPP.c.owner_id)
            .where(
                ASSESSMENT.c.latest,
                ~ASSESSMENT.c.latest.is_(None),
                OPP.c.status == "open",
                User.role == "rep",
            )
        ).first()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_server}/opportunity?code={code}&lang={lang}")
    ensure_signed_in(page, user)
    page.goto(f"{app_server}/opportunity?code={code}&lang={lang}")
    page.get_by_role("tab", name="机会评估" if lang == "zh" else "Assessment").click()
    page.wait_for_timeout(1500)
    whole_page_screenshot(page, f"/tmp/shot-assess-{lang}-{width}.png", width)
    page.goto(f"{app_server}/pipeline?lang={lang}&section=quality")
    page.wait_for_timeout(1500)
    whole_page_screenshot(page, f"/tmp/shot-quality-{lang}-{width}.png", width)
    context.close()
