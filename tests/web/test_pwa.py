"""The installable app: manifest, icons and the service worker."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from athlos.accounts.oidc.service import CALLBACK_PATH


async def test_the_manifest_describes_an_installable_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Athlos"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    } <= purposes


async def test_the_manifest_speaks_the_visitors_language(client: httpx.AsyncClient) -> None:
    manifest = (await client.get("/manifest.webmanifest", headers={"Accept-Language": "ru"})).json()
    assert manifest["lang"] == "ru"
    assert manifest["description"].startswith("Записывайте")


@pytest.mark.parametrize("name", ["icon-192", "icon-512", "maskable-192", "maskable-512"])
async def test_the_icons_are_real_pngs_of_their_size(client: httpx.AsyncClient, name: str) -> None:
    response = await client.get(f"/static/icons/{name}.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    size = int(name.split("-")[1])
    assert image.format == "PNG"
    assert image.size == (size, size)
    if name.startswith("maskable"):
        assert image.getpixel((0, 0))[3] == 255, "a maskable icon fills its whole square"


async def test_the_service_worker_is_served_from_the_root_scope(client: httpx.AsyncClient) -> None:
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    source = response.text
    assert "__VERSION__" not in source
    assert "__PRECACHE__" not in source
    assert '"/offline"' in source
    assert '"/static/vendor/htmx-2.0.11/htmx.min.js"' in source


async def test_the_service_worker_leaves_sign_in_flows_to_the_network(client: httpx.AsyncClient) -> None:
    """They redirect to the provider's origin and back; an offline page there would strand the person."""
    source = (await client.get("/sw.js")).text
    listed = source.split("const NETWORK_ONLY = [", 1)[1].split("]", 1)[0]
    prefixes = [item.strip().strip('"') for item in listed.split(",")]
    for path in (CALLBACK_PATH, "/signin/oidc", "/profile/oidc/link"):
        assert any(path.startswith(prefix) for prefix in prefixes), path


async def test_everything_the_service_worker_precaches_exists(client: httpx.AsyncClient) -> None:
    source = (await client.get("/sw.js")).text
    listed = source.split("const PRECACHE = [", 1)[1].split("]", 1)[0]
    urls = [item.strip().strip('"') for item in listed.split(",")]
    assert len(urls) >= 6
    for url in urls:
        assert (await client.get(url)).status_code == 200, url


async def test_the_vendored_htmx_is_version_2_with_its_licence(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/vendor/htmx-2.0.11/htmx.min.js")
    assert script.status_code == 200
    assert 'version:"2.0.11"' in script.text.replace(" ", "")
    licence = await client.get("/static/vendor/htmx-2.0.11/LICENSE.txt")
    assert "BSD" in licence.text
