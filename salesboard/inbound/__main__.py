"""``python -m salesboard.inbound [--host 127.0.0.1] [--port 8502]``: serve the inbound API
with uvicorn (the store: ``SALESBOARD_DATABASE_URL``, as the app's)."""

from __future__ import annotations

import argparse
import os

import uvicorn

APP_FACTORY = "salesboard.inbound.app:create_app"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m salesboard.inbound",
                                     description="Serve the inbound leads API.")  # fmt: skip
    parser.add_argument("--host", default=os.environ.get("SALESBOARD_INBOUND_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("SALESBOARD_INBOUND_PORT", "8502")))  # fmt: skip
    parser.add_argument("--root-path", default=os.environ.get("SALESBOARD_INBOUND_ROOT_PATH", ""),
                        help="the path prefix a reverse proxy serves it under (/inbound)")  # fmt: skip
    args = parser.parse_args(argv)
    uvicorn.run(APP_FACTORY, factory=True, host=args.host, port=args.port,
                root_path=args.root_path, proxy_headers=True, log_level="info")  # fmt: skip


if __name__ == "__main__":
    main()
