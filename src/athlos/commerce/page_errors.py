"""The commerce pages' 404: one page whose way back leads to the shop or to the news."""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.responses import HTMLResponse

from athlos.web import render


def not_found(request: Request, back: Literal["shop", "news"] = "shop") -> HTMLResponse:
    return render(request, "commerce/not_found.html", {"back": back}, status_code=404)
