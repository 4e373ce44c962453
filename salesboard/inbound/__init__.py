"""The inbound API service (issue 17): a small HTTP service beside the app that website forms
and marketing tools post leads to (``POST /v1/leads``), started with
``python -m salesboard.inbound`` (uvicorn; docs/deployment.md). The token a post carries
decides its source; the lead is scored, routed and assigned on arrival by ``salesboard.leads``.

- ``app``: the FastAPI application factory (``create_app``), the size limit, the errors;
- ``__main__``: the command that serves it.
"""
