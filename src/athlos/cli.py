"""The ``athlos`` command: serve, worker, migrate, events, inspect."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Annotated

import typer

from athlos.settings import get_settings

app = typer.Typer(help="Athlos: an open sports platform.", no_args_is_help=True, add_completion=False)
events_app = typer.Typer(help="Look after the event bus: parked deliveries and their retries.")
app.add_typer(events_app, name="events")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (ATHLOS_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind (ATHLOS_PORT)")] = None,
    workers: Annotated[int, typer.Option(help="Web worker processes")] = 1,
) -> None:
    """Serve the web app and the API. Without NATS, also relays and handles events in-process."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "athlos.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        server_header=False,
    )


@app.command()
def worker(
    relay: Annotated[bool, typer.Option(help="Relay the outbox to NATS")] = True,
    consume: Annotated[bool, typer.Option(help="Run the event handlers")] = True,
) -> None:
    """Relay outbox events to NATS JetStream and run the event handlers (needs ATHLOS_NATS_URL)."""
    settings = get_settings()
    if not settings.nats_url:
        raise typer.BadParameter("the worker needs ATHLOS_NATS_URL; without it `athlos serve` does the work")
    asyncio.run(_run_worker(relay=relay, consume=consume))


async def _run_worker(*, relay: bool, consume: bool) -> None:
    from athlos.core.events import registry
    from athlos.core.events.jetstream import JetStreamBus
    from athlos.core.logging import configure_logging
    from athlos.core.runtime import Runtime
    from athlos.modules import load_handlers, load_models

    settings = get_settings()
    configure_logging(settings.log_level, json_output=settings.log_json)
    load_models()
    load_handlers(settings.extra_handler_modules)
    runtime = Runtime.create(settings)
    assert settings.nats_url is not None
    bus = JetStreamBus(
        runtime.db,
        registry,
        runtime.retry_policy,
        url=settings.nats_url,
        stream=settings.nats_stream,
        poll_seconds=settings.outbox_poll_seconds,
        ack_wait_seconds=settings.nats_ack_wait_seconds,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = []
    if relay:
        tasks.append(bus.run_relay(stop))
    if consume:
        tasks.append(bus.run_consumers(stop))
    try:
        await asyncio.gather(*tasks)
    finally:
        await bus.close()
        await runtime.close()


@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision")] = "heads") -> None:
    """Apply database migrations."""
    from athlos.core.migrate import upgrade

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, revision)
    typer.echo(f"database at {revision}")


@events_app.command("parked")
def events_parked(limit: Annotated[int, typer.Option(min=1, max=1000)] = 50) -> None:
    """List deliveries that failed every attempt and wait for an operator (JSON lines)."""
    from athlos.core.db import Database
    from athlos.core.events.delivery import parked_failures

    async def run() -> None:
        db = Database(get_settings().effective_database_url)
        try:
            for failure in await parked_failures(db, limit):
                typer.echo(
                    json.dumps(
                        {
                            "consumer": failure.consumer,
                            "event_id": str(failure.event_id),
                            "event_type": failure.event_type,
                            "attempts": failure.attempts,
                            "first_failed_at": failure.first_failed_at.isoformat(),
                            "last_error": failure.last_error.strip().splitlines()[-1:],
                        }
                    )
                )
        finally:
            await db.dispose()

    asyncio.run(run())


@events_app.command("retry")
def events_retry(
    consumer: Annotated[str | None, typer.Option(help="Only this handler")] = None,
    event_id: Annotated[str | None, typer.Option(help="Only this event")] = None,
) -> None:
    """Give parked deliveries a fresh set of attempts."""
    from athlos.core.db import Database
    from athlos.core.events.delivery import unpark

    async def run() -> int:
        db = Database(get_settings().effective_database_url)
        try:
            return await unpark(db, consumer, event_id)
        finally:
            await db.dispose()

    typer.echo(f"{asyncio.run(run())} deliveries queued again")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    from_points: Annotated[
        bool, typer.Option("--from-points", help="Ignore the totals the device recorded")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = True,
) -> None:
    """Summarize every activity in a FIT, GPX or TCX file (optionally gzipped).

    A refused file prints a problem+json-like object on stderr and exits with status 2.
    """
    from athlos.activities.importers.errors import ImportRefused
    from athlos.activities.inspect import inspect_file

    try:
        result = inspect_file(file, from_points=from_points)
    except ImportRefused as refused:
        typer.echo(json.dumps({**refused.as_problem(), "file": str(file)}), err=True)
        raise typer.Exit(code=2) from None
    typer.echo(json.dumps(result, indent=None if as_json else 2))


def main() -> None:
    app()
