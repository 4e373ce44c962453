"""What is waiting on a person (issue 15, 我的工作台): key actions due and overdue, deals over
their stage standard or idle, visits planned, feedback forms to review — one set of queries
for the My work page and the reminders digest."""
