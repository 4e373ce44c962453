"""The lead tests' shared fixtures: the digest tests' loopback SMTP server (``smtp_server``)
for the new-lead alert."""

from tests.test_digest import smtp_server  # noqa: F401
