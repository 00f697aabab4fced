"""Live chat: the stream of a club's chat from a real server delivers what members post and delete, in
one process and across two through Redis, ends for someone who leaves, and from a block on leaves out
the other person."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import sign_in
from tests.notifications.test_live import two_web_processes

__all__ = ["two_web_processes"]  # the fixture of two ``athlos serve`` processes sharing Redis


class ChatStream:
    """The events of one open chat stream, read as they come."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next_event(self) -> tuple[str, dict[str, Any]]:
        event = ""
        async for line in self.lines:
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:") and event:
                data: dict[str, Any] = json.loads(line.removeprefix("data:"))
                return event, data
        raise AssertionError("the stream ended")


async def open_stream(client: httpx.AsyncClient, club_id: str) -> AsyncIterator[ChatStream]:
    async with client.stream("GET", f"/clubs/{club_id}/chat/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield ChatStream(response)


async def club_of(api: httpx.AsyncClient, owner: dict[str, str], member: dict[str, str]) -> str:
    created = await api.post("/api/v1/clubs", json={"name": "Night Owls", "sport": "run"}, headers=owner)
    assert created.status_code == 201, created.text
    club_id: str = created.json()["id"]
    joined = await api.post(f"/api/v1/clubs/{club_id}/membership", headers=member)
    assert joined.status_code == 200
    return club_id


async def test_messages_arrive_live_and_a_member_who_leaves_is_cut_off(
    live_server: str, db: Database
) -> None:
    owner = await make_user(db, display_name="Olga")
    reader = await make_user(db, display_name="Rita")
    async with (
        httpx.AsyncClient(base_url=live_server, timeout=30) as page,
        httpx.AsyncClient(base_url=live_server, timeout=30) as api,
    ):
        owner_headers, reader_headers = (
            await auth_headers(api, owner.email),
            await auth_headers(api, reader.email),
        )
        club_id = await club_of(api, owner_headers, reader_headers)
        await sign_in(page, reader.email)
        async for stream in open_stream(page, club_id):
            posted = await api.post(
                f"/api/v1/clubs/{club_id}/messages",
                json={"text": "Anyone out tonight?"},
                headers=owner_headers,
            )
            assert posted.status_code == 201
            kind, data = await stream.next_event()
            assert (kind, data["id"], data["author_name"]) == ("message", posted.json()["id"], "Olga")
            assert data["pieces"] == [{"text": "Anyone out tonight?", "user_id": None}]
            removed = await api.delete(f"/api/v1/club-messages/{data['id']}", headers=owner_headers)
            assert removed.status_code == 204
            assert await stream.next_event() == ("deleted", {**data, "kind": "deleted", "pieces": []})
            left = await api.delete(f"/api/v1/clubs/{club_id}/membership", headers=reader_headers)
            assert left.status_code == 204
            assert await stream.next_event() == ("closed", {})
            break
        assert (await page.get(f"/clubs/{club_id}/chat/stream")).status_code == 403


async def test_a_block_hides_the_other_in_a_stream_already_open(live_server: str, db: Database) -> None:
    owner = await make_user(db, display_name="Olga")
    reader = await make_user(db, display_name="Rita")
    third = await make_user(db, display_name="Tom")
    async with (
        httpx.AsyncClient(base_url=live_server, timeout=30) as page,
        httpx.AsyncClient(base_url=live_server, timeout=30) as api,
    ):
        owner_headers, reader_headers, third_headers = [
            await auth_headers(api, person.email) for person in (owner, reader, third)
        ]
        club_id = await club_of(api, owner_headers, reader_headers)
        joined = await api.post(f"/api/v1/clubs/{club_id}/membership", headers=third_headers)
        assert joined.status_code == 200
        await sign_in(page, reader.email)
        messages = f"/api/v1/clubs/{club_id}/messages"
        async for stream in open_stream(page, club_id):
            await api.post(messages, json={"text": "Before"}, headers=owner_headers)
            assert (await stream.next_event())[1]["author_name"] == "Olga"
            blocked = await api.post(f"/api/v1/users/{owner.id}/block", headers=reader_headers)
            assert blocked.status_code == 204
            assert await stream.next_event() == ("blocked", {"user_id": str(owner.id)})
            await api.post(messages, json={"text": "After the block"}, headers=owner_headers)
            await api.post(messages, json={"text": "From Tom"}, headers=third_headers)
            kind, data = await stream.next_event()  # Olga's message after the block never comes
            assert (kind, data["author_name"], data["pieces"][0]["text"]) == ("message", "Tom", "From Tom")
            break


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
async def test_a_message_posted_on_one_process_reaches_a_stream_on_the_other(
    two_web_processes: list[str], db: Database
) -> None:
    web_a, web_b = two_web_processes
    owner, reader = await make_user(db, display_name="Olga"), await make_user(db)
    async with (
        httpx.AsyncClient(base_url=web_a, timeout=30) as page,
        httpx.AsyncClient(base_url=web_b, timeout=30) as api,
    ):
        owner_headers, reader_headers = (
            await auth_headers(api, owner.email),
            await auth_headers(api, reader.email),
        )
        club_id = await club_of(api, owner_headers, reader_headers)
        await sign_in(page, reader.email)
        async for stream in open_stream(page, club_id):
            posted = await api.post(
                f"/api/v1/clubs/{club_id}/messages", json={"text": "Through Redis"}, headers=owner_headers
            )
            assert posted.status_code == 201
            kind, data = await stream.next_event()
            assert (kind, data["id"], data["author_name"]) == ("message", posted.json()["id"], "Olga")
            break
