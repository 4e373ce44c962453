"""Working on deals day to day (issue 15): create a deal, edit it, move it through the stages
against the stage's checklist, win or lose it, plan and complete key actions, attach files,
comment, and log or plan visits. Every write checks the actor's scope and the deal's version,
writes the deal's events (its timeline) and the audit log in the same transaction."""
