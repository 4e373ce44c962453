"""Time, as the company counts it.

- ``clock``: "today" in the company's time zone (or the fixed ``SALESBOARD_TODAY``);
- ``workdays``: working days with public holidays, make-up weekends (调休) and the company's
  own days off and extra working days;
- ``periods``: months, quarters, years, ISO weeks and custom ranges, by their labels.
"""
