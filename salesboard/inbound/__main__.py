"""``python -m salesboard.inbound [--host 127.0.0.1] [--port 8600]``: serve the inbound API
with uvicorn (the store: ``SALESBOARD_DATABASE_URL``, as the app's)."""

from __future__ import annotations

import argparse

import uvicorn

from salesboard.store.settings import get_settings

APP_FACTORY = "salesboard.inbound.app:create_app"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m salesboard.inbound",
                                     description="Serve the inbound leads API.")  # fmt: skip
    settings = get_settings()
    parser.add_argument("--host", default=settings.inbound_host)
    parser.add_argument("--port", type=int, default=settings.inbound_port)
    parser.add_argument("--root-path", default=settings.inbound_root_path,
                        help="the path prefix a reverse proxy serves it under (/inbound)")  # fmt: skip
    args = parser.parse_args(argv)
    uvicorn.run(APP_FACTORY, factory=True, host=args.host, port=args.port,
                root_path=args.root_path, proxy_headers=True, log_level="info")  # fmt: skip


if __name__ == "__main__":
    main()
