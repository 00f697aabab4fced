"""The Record page: the same for everyone, in every language, and kept by the service worker."""

from __future__ import annotations

import json

import httpx
import pytest


async def test_the_record_page_carries_the_recorder_and_its_texts(client: httpx.AsyncClient) -> None:
    response = await client.get("/record")
    assert response.status_code == 200
    page = response.text
    assert 'id="recorder"' in page
    assert "/static/record.js" in page
    assert 'name="csrf-token" content="' in page
    assert '<option value="run">Run</option>' in page
    assert 'value="yoga"' not in page  # recorded without positions: not offered here
    texts = json.loads(page.split('id="record-texts">', 1)[1].split("</script>", 1)[0])
    assert texts["offline"] == "Offline, {n} points waiting"


@pytest.mark.parametrize(
    ("language", "start", "offline", "run"),
    [
        ("ru", "Старт", "Нет сети, точек в очереди: {n}", "Бег"),
        ("de", "Start", "Offline, {n} Punkte warten", "Lauf"),
    ],
)
async def test_the_record_page_speaks_russian_and_german(
    client: httpx.AsyncClient, language: str, start: str, offline: str, run: str
) -> None:
    page = (await client.get("/record", headers={"Accept-Language": language})).text
    assert f">{start}</button>" in page
    assert f'<option value="run">{run}</option>' in page
    texts = json.loads(page.split('id="record-texts">', 1)[1].split("</script>", 1)[0])
    assert texts["offline"] == offline


async def test_the_service_worker_keeps_the_record_page_for_offline_use(client: httpx.AsyncClient) -> None:
    source = (await client.get("/sw.js")).text
    precache = source.split("const PRECACHE = [", 1)[1].split("]", 1)[0]
    for entry in ('"/record"', '"/static/record.js"', '"/static/record.css"'):
        assert entry in precache
    script = await client.get("/static/record.js")
    assert script.status_code == 200
    assert "indexedDB" in script.text
