"""One region (``?code=``, 区域管理): its revenue goal attainment, funnel, customer matrix and
reps with their attainment, for the managers of its teams, leaders and admins."""

from salesboard import ui
from salesboard.ui import customers_page as page

ui.page_viewer(__file__)
page.region_page()
