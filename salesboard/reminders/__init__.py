"""Reminders (issue 15): each person's digest of what is waiting on them, in their language,
sent by e-mail and/or a chat-bot webhook, or written to files (``python -m salesboard digest``)."""
