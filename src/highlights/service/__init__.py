"""The HTTP service and its web page: `highlights serve` (needs the `serve` extra: FastAPI + uvicorn).

`highlights.service.app.create_app(Settings(...))` builds the FastAPI app; every endpoint runs the same
`summarize()` as the CLI and returns `highlights.render.to_dict(summary)`. This package imports FastAPI only
in `app.py`, so the CLI works without the extra.
"""
