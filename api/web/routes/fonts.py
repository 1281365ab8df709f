"""The Bengali and Devanagari web fonts of the console and the web chat, under /static/fonts.

The files come from npm packages that `scripts/install_fonts.sh` installs (the project's set-up
runs it); `fonts.css` (in the repository) declares them. Fonts are cached for a year, the style
sheet for a day, so an edit of it reaches browsers soon.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

router = APIRouter(tags=["web fonts"])
FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,100}\.(woff2|css)$")
MEDIA = {"woff2": "font/woff2", "css": "text/css; charset=utf-8"}
CACHE = {"woff2": "public, max-age=31536000", "css": "public, max-age=86400"}


@router.get("/static/fonts/{name}", response_model=None)
def font_file(name: str) -> FileResponse:
    found = NAME.match(name)
    path = FONTS / name
    if not found or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    kind = found.group(1)
    return FileResponse(
        path,
        media_type=MEDIA[kind],
        headers={"Cache-Control": CACHE[kind], "X-Content-Type-Options": "nosniff"},
    )
