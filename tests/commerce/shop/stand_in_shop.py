"""A stand-in for the brand's shop in browser tests: a real HTTP server on localhost. Its product page
keeps the ``athlos_click`` id it was sent with; "Buy" confirms the purchase to Athlos with the signed
webhook, as the shop would, and sends the browser back to Athlos."""

from __future__ import annotations

import html
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

from athlos.commerce.shop.signing import signed_headers
from tests.commerce.helpers import SECRET, WEBHOOK


class StandInShop:
    def __init__(self, athlos_url: str) -> None:
        self.athlos_url = athlos_url
        self.orders = itertools.count(1)
        self.answers: list[int] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, body: str = "", location: str | None = None) -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if not parts.path.startswith("/p/"):
                    self._send(404, "<!doctype html><title>Not found</title>")
                    return
                click = parse_qs(parts.query).get("athlos_click", [""])[0]
                product_id = parts.path.removeprefix("/p/")
                self._send(
                    200,
                    "<!doctype html><html lang='en'><title>Kestrel shop</title><h1>Kestrel shop</h1>"
                    "<form method='post' action='/buy'>"
                    f"<input type='hidden' name='click' value='{html.escape(click)}'>"
                    f"<input type='hidden' name='product' value='{html.escape(product_id)}'>"
                    "<button type='submit'>Buy</button></form>",
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                body = json.dumps(
                    {
                        "order_id": f"KS-ORDER-{next(shop.orders)}",
                        "click_id": form["click"][0],
                        "product_id": form["product"][0],
                        "amount": "149.99",
                        "currency": "EUR",
                        "purchased_at": "2026-12-01T10:00:00Z",
                    }
                ).encode()
                answer = httpx.post(
                    shop.athlos_url + WEBHOOK,
                    content=body,
                    headers=signed_headers(SECRET, int(time.time()), body),
                )
                shop.answers.append(answer.status_code)
                self._send(303, location=shop.athlos_url + "/shop/offers")

        return Handler


@contextmanager
def stand_in_shop(athlos_url: str) -> Iterator[StandInShop]:
    shop = StandInShop(athlos_url)
    thread = threading.Thread(target=shop.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield shop
    finally:
        shop.server.shutdown()
        shop.server.server_close()
