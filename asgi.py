"""The API process's application: the backend plus the phone line's and messaging webhooks.

`uvicorn asgi:create_app --factory`. The backend (api/) never imports the phone line (voice/);
this module, outside both, puts them together.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.web.app import create_app as create_backend


def create_app(configure_logs: bool = True) -> FastAPI:
    from voice.gateway import router as phone_line

    return create_backend(configure_logs=configure_logs, extra_routers=[phone_line])
