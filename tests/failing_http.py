"""A local HTTP server that fails on purpose, standing in for an outbound service: it answers 500s,
hangs, holds an answer until told, or answers 200, and counts the requests it saw."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Literal

Mode = Literal["ok", "fail", "hang", "hold"]


class FailingServer:
    def __init__(self) -> None:
        self.mode: Mode = "ok"
        self.requests = 0
        self.release = asyncio.Event()  # lets held answers go (as 200)
        self._stopped = asyncio.Event()
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FailingServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._stopped.set()
        self.release.set()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            await reader.readexactly(length)
            self.requests += 1
            mode = self.mode
            if mode == "hang":
                await self._stopped.wait()
                return
            if mode == "hold":
                await self.release.wait()
            status, body = (500, b'{"error": "on purpose"}') if mode == "fail" else (200, b'{"ok": true}')
            reason = "Internal Server Error" if status == 500 else "OK"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def failing_server() -> AsyncIterator[FailingServer]:
    server = await FailingServer().start()
    try:
        yield server
    finally:
        await server.stop()
