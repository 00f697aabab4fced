"""The ``athlos`` command: serve, worker, migrate, events, badges, staff, races, catalog, recommend,
seed-demo, inspect.

Each command imports what it needs when it runs (settings, asyncio, the web app, the importers), so
that ``athlos inspect`` starts without loading what only a server needs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop
    from collections.abc import Callable

app = typer.Typer(help="Athlos: an open sports platform.", no_args_is_help=True, add_completion=False)
events_app = typer.Typer(help="Look after the event bus: parked deliveries and their retries.")
app.add_typer(events_app, name="events")
badges_app = typer.Typer(help="Look after badges: re-evaluate the definitions over everyone's history.")
app.add_typer(badges_app, name="badges")
staff_app = typer.Typer(help="Who is staff: staff review the reports people make.")
app.add_typer(staff_app, name="staff")
races_app = typer.Typer(help="Look after races: make the results of ended races final.")
app.add_typer(races_app, name="races")
catalog_app = typer.Typer(help="The brand's product catalogue: import its feed.")
app.add_typer(catalog_app, name="catalog")
recommend_app = typer.Typer(help='"For you" recommendations: train the model, measure it on demo data.')
app.add_typer(recommend_app, name="recommend")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (ATHLOS_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind (ATHLOS_PORT)")] = None,
    workers: Annotated[int, typer.Option(help="Web worker processes")] = 1,
) -> None:
    """Serve the web app and the API. Without NATS, also relays and handles events in-process."""
    import uvicorn

    from athlos.settings import get_settings

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
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


@app.command()
def worker(
    relay: Annotated[bool, typer.Option(help="Relay the outbox to NATS")] = True,
    consume: Annotated[bool, typer.Option(help="Run the event handlers")] = True,
) -> None:
    """Relay outbox events to NATS JetStream and run the event handlers (needs ATHLOS_NATS_URL)."""
    import asyncio

    from athlos.settings import get_settings

    settings = get_settings()
    if not settings.nats_url:
        raise typer.BadParameter("the worker needs ATHLOS_NATS_URL; without it `athlos serve` does the work")
    _lower_priority(settings.worker_nice)
    with asyncio.Runner(loop_factory=_fast_event_loop()) as runner:
        runner.run(_run_worker(relay=relay, consume=consume))


def _lower_priority(steps: int) -> None:
    """Make this process ``steps`` nicer (Unix), before any thread starts, so they all are."""
    if steps and hasattr(os, "nice"):
        os.nice(steps)


def _fast_event_loop() -> Callable[[], AbstractEventLoop] | None:
    """uvloop where it is installed (it comes with uvicorn[standard]): the worker's NATS and
    PostgreSQL traffic costs less CPU on it."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def _run_worker(*, relay: bool, consume: bool) -> None:
    import asyncio
    import signal

    from athlos.core.collector import settle_after_startup
    from athlos.core.events import registry
    from athlos.core.events.jetstream import JetStreamBus
    from athlos.core.logging import configure_logging
    from athlos.core.runtime import Runtime
    from athlos.modules import load_handlers, load_models
    from athlos.settings import get_settings

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
    settle_after_startup()
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
    from athlos.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, revision)
    typer.echo(f"database at {revision}")


@events_app.command("parked")
def events_parked(limit: Annotated[int, typer.Option(min=1, max=1000)] = 50) -> None:
    """List deliveries that failed every attempt and wait for an operator (JSON lines)."""
    import asyncio

    from athlos.core.db import Database
    from athlos.core.events.delivery import parked_failures
    from athlos.settings import get_settings

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
    import asyncio

    from athlos.core.db import Database
    from athlos.core.events.delivery import unpark
    from athlos.settings import get_settings

    async def run() -> int:
        db = Database(get_settings().effective_database_url)
        try:
            return await unpark(db, consumer, event_id)
        finally:
            await db.dispose()

    typer.echo(f"{asyncio.run(run())} deliveries queued again")


@badges_app.command("reevaluate")
def badges_reevaluate(
    apply: Annotated[
        bool, typer.Option("--apply", help="Award and take back; without it nothing changes")
    ] = False,
) -> None:
    """Evaluate every badge over every person's history; print what would be added (+) and revoked (-)."""
    import asyncio

    from athlos.core.db import Database
    from athlos.gamification.badges.service import reevaluate
    from athlos.modules import load_models
    from athlos.settings import get_settings

    load_models()

    async def run() -> None:
        db = Database(get_settings().effective_database_url)
        try:
            async with db.unit_of_work() as session:
                report = await reevaluate(session, apply=apply)
        finally:
            await db.dispose()
        for sign, pairs in (("+", report.added), ("-", report.revoked)):
            for user_id, badge_id in pairs:
                typer.echo(f"{sign} {user_id} {badge_id}")
        done = "added" if apply else "to add"
        undone = "revoked" if apply else "to revoke"
        typer.echo(f"{len(report.added)} {done}, {len(report.revoked)} {undone}")

    asyncio.run(run())


@races_app.command("finalize")
def races_finalize() -> None:
    """Make the results of every race that has ended final (fair play's verdicts disqualify first)."""
    import asyncio

    from athlos.core.db import Database
    from athlos.modules import load_models
    from athlos.settings import get_settings

    load_models()
    from athlos.competitions.results import finalize_due

    async def run() -> list[str]:
        db = Database(get_settings().effective_database_url)
        try:
            async with db.unit_of_work() as session:
                return [str(race_id) for race_id in await finalize_due(session)]
        finally:
            await db.dispose()

    done = asyncio.run(run())
    for race_id in done:
        typer.echo(race_id)
    typer.echo(f"{len(done)} races made final")


@staff_app.command("grant")
def staff_grant(
    email: Annotated[str, typer.Argument(help="The person's sign-in address")],
    area: Annotated[
        str,
        typer.Option(
            "--area",
            help="catalog, promotions, news, badges, challenges, races, reports, fair_play, loyalty; "
            "admin: all",
        ),
    ] = "admin",
) -> None:
    """Make a person staff of an area (admin, the default: every area)."""
    _change_staff(email, area, grant=True)


@staff_app.command("revoke")
def staff_revoke(
    email: Annotated[str, typer.Argument(help="The person's sign-in address")],
    area: Annotated[
        str | None, typer.Option("--area", help="The area to take back; every area when left out")
    ] = None,
) -> None:
    """Take a staff area (or all of them) back from a person."""
    _change_staff(email, area, grant=False)


def _change_staff(email: str, area: str | None, *, grant: bool) -> None:
    import asyncio

    from athlos.accounts.staff import service as staff
    from athlos.accounts.staff.access import ALL
    from athlos.core.db import Database
    from athlos.modules import load_models
    from athlos.settings import get_settings

    if area is not None and area not in ALL:
        typer.echo(f"unknown area {area}; choose one of {', '.join(ALL)}", err=True)
        raise typer.Exit(2)
    load_models()

    async def run() -> bool:
        db = Database(get_settings().effective_database_url)
        try:
            async with db.unit_of_work() as session:
                if grant:
                    assert area is not None
                    return await staff.grant(session, email, area)
                return await staff.revoke(session, email, area)
        finally:
            await db.dispose()

    if not asyncio.run(run()):
        typer.echo(f"no account has the address {email}", err=True)
        raise typer.Exit(1)
    if grant:
        typer.echo(f"{email} is now staff of {area}")
    else:
        typer.echo(f"{email} is no longer staff of {area or 'any area'}")


@catalog_app.command("import")
def catalog_import(
    feed: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="JSON or CSV feed")
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any row is refused")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Import the catalogue feed in one transaction: create, update, retire; refused rows are listed
    (row, field, reason). Exit status 1 when rows were refused, 2 when the file is no feed at all."""
    import asyncio

    from athlos.commerce.catalog.errors import FeedNotImported
    from athlos.commerce.catalog.service import import_feed, report_counts
    from athlos.core.db import Database
    from athlos.modules import load_models
    from athlos.settings import get_settings

    load_models()

    async def run() -> tuple[dict[str, object], list[dict[str, object]]]:
        db = Database(get_settings().effective_database_url)
        try:
            async with db.unit_of_work() as session:
                report = await import_feed(session, feed.read_bytes(), feed.name, strict=strict)
                return report_counts(report), list(report.issues)
        finally:
            await db.dispose()

    try:
        counts, issues = asyncio.run(run())
    except FeedNotImported as exc:
        typer.echo(json.dumps({"code": exc.code, "detail": exc.detail, "file": str(feed)}), err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps({**counts, "issues": issues}))
    else:
        for issue in issues:
            typer.echo(f"row {issue['row']}: {issue['field']}: {issue['reason']}", err=True)
        applied = "" if counts["applied"] else " (nothing applied: --strict)"
        typer.echo(
            f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['retired']} retired, {counts['rejected']} rejected{applied}"
        )
    if counts["rejected"]:
        raise typer.Exit(1)


@recommend_app.command("train")
def recommend_train(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
) -> None:
    """Train "For you" now on everyone's views, clicks, purchases and owned gear, and store each
    person's list; the worker's daily training stays planned (or is planned)."""
    import asyncio

    from athlos.commerce.recommend.service import train
    from athlos.core.db import Database
    from athlos.modules import load_models
    from athlos.settings import get_settings

    load_models()

    async def run() -> dict[str, object]:
        db = Database(get_settings().effective_database_url)
        try:
            async with db.unit_of_work() as session:
                return await train(session)
        finally:
            await db.dispose()

    figures = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        typer.echo(
            f"{figures['people']} people, {figures['products']} products, {figures['signals']} signals "
            f"in {figures['seconds']} s"
        )


@recommend_app.command("evaluate")
def recommend_evaluate(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
    people: Annotated[int, typer.Option(min=100, max=200_000)] = 3000,
    products: Annotated[int, typer.Option(min=20, max=5000)] = 400,
    seed: Annotated[int, typer.Option()] = 15,
) -> None:
    """Precision@10 and recall@10 of "For you" against popularity on a held-out split of generated demo
    data (no database needed; the same seed gives the same figures). Exit status 1 when the model does
    not beat popularity."""
    from athlos.commerce.recommend.evaluation import evaluate

    figures = evaluate(people=people, products=products, seed=seed)
    mine, popular = figures["model"], figures["popularity"]
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        typer.echo(
            f"model: precision@10 {mine['precision_at_10']:.4f}, recall@10 {mine['recall_at_10']:.4f}\n"
            f"popularity: precision@10 {popular['precision_at_10']:.4f}, "
            f"recall@10 {popular['recall_at_10']:.4f}"
        )
    if (
        mine["precision_at_10"] <= popular["precision_at_10"]
        or mine["recall_at_10"] <= popular["recall_at_10"]
    ):
        raise typer.Exit(1)


@app.command("seed-demo")
def seed_demo(
    force: Annotated[
        bool,
        typer.Option("--force", help="Seed even though the database holds people who are not demo people"),
    ] = False,
    people: Annotated[
        int, typer.Option(min=10, max=1000, help="How many people besides the demo person")
    ] = 60,
) -> None:
    """Fill the database with a believable demo world (idempotent); sign in as the demo person."""
    import asyncio

    from athlos.core.db import Database
    from athlos.core.logging import configure_logging
    from athlos.demo.seed import NotDemoDatabase, seed, summary
    from athlos.demo.world import DEMO_EMAIL, DEMO_PASSWORD
    from athlos.modules import load_handlers, load_models
    from athlos.settings import get_settings

    settings = get_settings()
    configure_logging("warning", json_output=settings.log_json)
    load_models()
    load_handlers(settings.extra_handler_modules)

    async def run() -> dict[str, object]:
        db = Database(settings.effective_database_url)
        try:
            return summary(await seed(db, settings, force=force, size=people))
        finally:
            await db.dispose()

    try:
        outcome = asyncio.run(run())
    except NotDemoDatabase as exc:
        typer.echo(f"{exc}; refusing to seed (use --force to seed anyway)", err=True)
        raise typer.Exit(1) from exc
    if outcome["seeded"]:
        typer.echo(json.dumps(outcome))
        typer.echo(f"demo world seeded in {outcome['seconds']} s")
    else:
        typer.echo("the demo world is there already: nothing changed")
    typer.echo(f"sign in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}")


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
    status = _print_inspection(file, from_points=from_points, as_json=as_json)
    if status:
        raise typer.Exit(code=status)


def _print_inspection(file: Path, *, from_points: bool, as_json: bool) -> int:
    """Print the summaries of ``file``, or its refusal on stderr; the exit status."""
    from athlos.activities.importers.errors import ImportRefused
    from athlos.activities.inspect import inspect_file

    try:
        result = inspect_file(file, from_points=from_points)
    except ImportRefused as refused:
        typer.echo(json.dumps({**refused.as_problem(), "file": str(file)}), err=True)
        return 2
    typer.echo(json.dumps(result, indent=None if as_json else 2))
    return 0


_INSPECT_FLAGS = frozenset({"--from-points", "--json"})


def _inspect_directly(args: list[str]) -> int | None:
    """``inspect FILE [--from-points] [--json]`` run without typer's parser, which builds a pydantic
    validator for every parameter at each start: as much time as all the rest of the command's start-up.
    ``None`` for anything else (help, a mistake, another command), which typer handles."""
    if args[:1] != ["inspect"]:
        return None
    files = [arg for arg in args[1:] if not arg.startswith("-")]
    flags = set(args[1:]) - set(files)
    if len(files) != 1 or not flags <= _INSPECT_FLAGS:
        return None
    file = Path(files[0])
    if not file.is_file() or not os.access(file, os.R_OK):
        return None  # typer says what is wrong with it
    return _print_inspection(file, from_points="--from-points" in flags, as_json=True)


def main() -> None:
    status = _inspect_directly(sys.argv[1:])
    if status is None:
        app()
    else:
        raise SystemExit(status)
