"""``athlos seed-demo``: a believable world made through each domain's services, step by step.

Each step is one function over the :class:`World`, run in its own unit of work; the event bus is
drained after each, so points, badges, leaderboards, feeds and race efforts are kept by their handlers
exactly as for real people. A new part of the demo is one more function in :data:`STEPS`.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import service as accounts
from athlos.accounts.models import User
from athlos.accounts.profiles.schemas import ProfileIn
from athlos.accounts.profiles.service import update_profile
from athlos.accounts.staff import service as staff_areas
from athlos.accounts.staff.access import ADMIN
from athlos.activities.importers.gpx import parse_gpx
from athlos.activities.service import add_imported_activity
from athlos.commerce.catalog.service import import_feed
from athlos.commerce.news import service as news
from athlos.commerce.news.schemas import NewsIn
from athlos.commerce.promotions.schemas import PromotionIn
from athlos.commerce.promotions.service import create_promotion
from athlos.competitions.entries import register as enter_race
from athlos.competitions.results import finalize_due
from athlos.competitions.schemas import RaceIn, RacePatch
from athlos.competitions.service import Viewer, create_race, update_race
from athlos.core.db import Database
from athlos.core.events import registry
from athlos.core.events.delivery import RetryPolicy
from athlos.core.events.embedded import EmbeddedBus
from athlos.demo.tracks import loop_track
from athlos.demo.world import CITIES, DEMO_DOMAIN, DEMO_EMAIL, DEMO_PASSWORD, Person, people
from athlos.gamification.challenges.schemas import ChallengeIn
from athlos.gamification.challenges.service import create_challenge
from athlos.gamification.challenges.service import join as join_challenge
from athlos.gamification.goals.schemas import GoalIn
from athlos.gamification.goals.service import create_goal
from athlos.gear.schemas import GearIn, GearPatch
from athlos.gear.service import create_gear, list_gear, update_gear
from athlos.settings import Settings
from athlos.social.chat.service import post_message
from athlos.social.club_events.schemas import ClubEventIn
from athlos.social.club_events.service import answer, create_event
from athlos.social.clubs.schemas import ClubIn
from athlos.social.clubs.service import create_club, join_club
from athlos.social.follows.service import follow_user
from athlos.social.reactions.service import give_kudos, post_comment
from athlos.training.plans.schemas import PlanIn
from athlos.training.plans.service import create_plan

CATALOG = Path(__file__).resolve().parents[3] / "examples" / "catalog" / "products.json"
COMMENTS = (
    "Strong pace!",
    "Nice loop, which way did you go?",
    "Отличная тренировка!",
    "Stark gelaufen!",
    "See you at the club run",
    "Great hills 💪",
    "Молодец!",
    "Super Runde!",
)
CHAT = (
    "Who is in for Saturday's long run?",
    "I'll bring the coffee ☕",
    "Кто бежит в субботу?",
    "Treffpunkt wie immer am Tor?",
    "New route posted on the map",
    "Legs are sore after yesterday 😅",
)


class NotDemoDatabase(Exception):
    """The database holds people who are not demo people."""


@dataclass
class World:
    """What the steps share: the settings, the random source, the people and what was made so far."""

    settings: Settings
    rng: random.Random
    now: datetime
    people: list[Person]
    clubs: list[uuid.UUID] = field(default_factory=list)
    races: dict[str, uuid.UUID] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def demo(self) -> Person:
        return self.people[0]

    @property
    def today(self) -> date:
        return self.now.date()

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def ids(self, persons: list[Person]) -> list[uuid.UUID]:
        return [uuid.UUID(str(person.user_id)) for person in persons]


Step = Callable[[AsyncSession, World], Awaitable[None]]


async def people_step(session: AsyncSession, world: World) -> None:
    """Accounts, verified, with profiles in their cities; the demo person is staff."""
    for person in world.people:
        await accounts.register(
            session,
            world.settings,
            person.email,
            DEMO_PASSWORD,
            person.name,
            person.language or person.city.language,
        )
        user = await accounts.user_by_email(session, person.email)
        assert user is not None
        await accounts.verify_email(
            session, world.settings, accounts.email_verification_token(world.settings, user)
        )
        person.user_id = user.id
        city = person.city
        await update_profile(
            session,
            user.id,
            ProfileIn(
                country=city.country,
                region=city.region,
                city=city.name,
                time_zone=city.time_zone,
                language=person.language or city.language,
                birth_year=person.birth_year,
                sex=person.sex,
                weight_kg=world.rng.randint(52, 88),
                favourite_sports=[person.sport],
                profile_visibility="everyone",
                default_activity_visibility="everyone",
                in_regional_comparisons=True,
            ),
        )
        world.count("people")
    await staff_areas.grant(session, DEMO_EMAIL, ADMIN)


async def catalog_step(session: AsyncSession, world: World) -> None:
    """The example catalogue, and shoes linked to it; the demo person's pair is near its wear limit."""
    report = await import_feed(session, CATALOG.read_bytes(), CATALOG.name)
    world.count("products", report.created)
    await create_gear(
        session,
        world.ids([world.demo])[0],
        GearIn(
            kind="shoes",
            brand="Kestrel",
            model="Glide 1",
            product_id="kestrel-glide-1",
            purchased_on=world.today - timedelta(days=300),
            starting_distance_m=0,
            default_for=["run"],
        ),
    )
    world.count("gear")
    for person in world.people[1::4]:
        await create_gear(
            session,
            world.ids([person])[0],
            GearIn(
                kind="bike" if person.sport == "ride" else "shoes",
                brand="Kestrel",
                model="Glide 1",
                product_id=None if person.sport == "ride" else "kestrel-glide-1",
                default_for=[person.sport],
            ),
        )
        world.count("gear")


async def races_step(session: AsyncSession, world: World) -> None:
    """A live 10 km about to start and a window 5 km this past week, entered before the runs happen."""
    staff = Viewer(world.ids([world.demo])[0], is_staff=True)
    live = await create_race(
        session,
        staff,
        RaceIn(
            title="Athlos Night 10K",
            description="Run it live wherever you are; the board moves as you do.",
            distance="10k",
            distance_m=10_000,
            mode="live",
            starts_at=world.now + timedelta(minutes=30),
            ends_at=world.now + timedelta(hours=3),
            by_sex=True,
            age_groups=[18, 35, 50],
        ),
    )
    window = await create_race(
        session,
        staff,
        RaceIn(
            title="Autumn 5K Week",
            description="Your fastest 5 km of the week counts.",
            distance="5k",
            distance_m=5_000,
            mode="window",
            starts_at=world.now - timedelta(days=8),
            ends_at=world.now + timedelta(days=1),
            age_groups=[18, 35, 50],
        ),
    )
    runners = [person for person in world.people if person.sport == "run"]
    for person in runners:
        viewer = Viewer(world.ids([person])[0])
        await enter_race(session, viewer, window.id)
        if world.rng.random() < 0.6 or person is world.demo:
            await enter_race(session, viewer, live.id)
        world.count("race entries")
    world.races.update(live=live.id, window=window.id)


async def activities_step(session: AsyncSession, world: World) -> None:
    """Loops around each person's city over the last weeks; the demo person trains most."""
    for person in world.people:
        many = 30 if person is world.demo else world.rng.randint(2, 6)
        days = sorted(world.rng.sample(range(0, 70 if person is world.demo else 35), many), reverse=True)
        for day in days:
            await _activity(session, world, person, day)


async def _activity(session: AsyncSession, world: World, person: Person, days_ago: int) -> None:
    rng = world.rng
    sport = person.sport if rng.random() < 0.85 else rng.choice(("run", "walk"))
    distance = {
        "run": rng.choice((5_200, 7_500, 10_300, 12_000, 16_000)),
        "ride": rng.uniform(25_000, 60_000),
        "walk": rng.uniform(3_000, 7_000),
        "hike": rng.uniform(8_000, 15_000),
    }[sport]
    local_hour = rng.choice((6, 7, 7, 12, 17, 18, 19))
    day = (world.now - timedelta(days=days_ago)).astimezone(ZoneInfo(person.city.time_zone))
    start = day.replace(hour=local_hour, minute=rng.randint(0, 59), second=0, microsecond=0).astimezone(UTC)
    if start > world.now - timedelta(hours=3):
        start = world.now - timedelta(hours=3 + rng.random() * 5)
    city = person.city
    data = loop_track(
        rng, lat=city.lat, lon=city.lon, altitude=city.altitude, sport=sport, distance_m=distance, start=start
    )
    parsed = parse_gpx(data)
    owner_id = world.ids([person])[0]
    activity = await add_imported_activity(
        session,
        owner_id=owner_id,
        parsed=parsed.activities[0],
        file_warnings=[],
        sport=sport,
        title=None,
        visibility="everyone",
        upload_id=None,
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_index=0,
        original_path="",
        original_filename=f"{start:%Y-%m-%d}-{sport}.gpx",
    )
    activity.original_path = None
    activity.original_filename = None
    person.activity_ids.append(activity.id)
    world.count("activities")


async def worn_shoe_step(session: AsyncSession, world: World) -> None:
    """The demo person's shoes, worn by the runs above, come to nine tenths of their lifespan."""
    demo_id = world.ids([world.demo])[0]
    for view in await list_gear(session, demo_id):
        if view.item.kind == "shoes" and view.limit_m:
            starting = max(0.0, 0.93 * view.limit_m - view.item.distance_m)
            await update_gear(session, demo_id, view.item.id, GearPatch(starting_distance_m=starting))


async def promotions_step(session: AsyncSession, world: World) -> None:
    """Offers from the catalogue: the next pair for worn shoes, and one for the runners of Berlin."""
    days = {"starts_on": world.today - timedelta(days=1), "ends_on": world.today + timedelta(days=60)}
    offers = [
        PromotionIn(
            slug="demo-glide-worn",
            title_en="Your next Glide, 20 % off",
            title_ru="Ваш следующий Glide со скидкой 20 %",
            title_de="Dein nächster Glide, 20 % günstiger",
            product_id="kestrel-glide-3",
            gear_kind="shoes",
            **days,
        ),
        PromotionIn(
            slug="demo-berlin-autumn",
            title_en="Berlin autumn running week",
            title_ru="Берлинская осенняя беговая неделя",
            title_de="Berliner Herbstlaufwoche",
            product_id="kestrel-glide-1",
            countries=["DE"],
            regions=["DE-BE"],
            sports=["run"],
            **days,
        ),
    ]
    for offer in offers:
        await create_promotion(session, world.ids([world.demo])[0], offer)
        world.count("promotions")


async def news_step(session: AsyncSession, world: World) -> None:
    """Two published articles: one from the brand for everyone, one local for Berlin."""
    articles = [
        NewsIn(
            title="Kestrel Glide 3 is here",
            summary="Lighter, softer, made for long runs.",
            body="The new Glide keeps the fit you know.\n\nIt is in the shop now.",
        ),
        NewsIn(
            title="Spree run this Sunday",
            summary="10 km along the river, every pace welcome.",
            body="We start at the Oberbaum bridge at nine.\n\nBring a friend.",
            kind="local",
            countries=["DE"],
            regions=["DE-BE"],
        ),
    ]
    for article in articles:
        written = await news.write(session, world.ids([world.demo])[0], article)
        await news.publish(session, written.id, True)
        world.count("news")


async def social_step(session: AsyncSession, world: World) -> None:
    """Follows (the demo person follows and is followed by many), kudos and comments."""
    demo_id = world.ids([world.demo])[0]
    others = world.people[1:]
    for person in others:
        person_id = world.ids([person])[0]
        if world.rng.random() < 0.5 or person.city == world.demo.city:
            await follow_user(session, demo_id, person_id)
            world.count("follows")
        if world.rng.random() < 0.6:
            await follow_user(session, person_id, demo_id)
            world.count("follows")
        for other in world.rng.sample(others, 4):
            if other is not person:
                await follow_user(session, person_id, world.ids([other])[0])
                world.count("follows")
    followers = [p for p in others if world.rng.random() < 0.5]
    for person in world.people:
        for activity_id in person.activity_ids[-3:]:
            for giver in world.rng.sample(followers, min(len(followers), world.rng.randint(1, 5))):
                if giver is not person:
                    await give_kudos(session, world.ids([giver])[0], uuid.UUID(str(activity_id)))
                    world.count("kudos")
            if world.rng.random() < 0.35:
                author = world.rng.choice([p for p in world.people if p is not person])
                await post_comment(
                    session, world.ids([author])[0], uuid.UUID(str(activity_id)), world.rng.choice(COMMENTS)
                )
                world.count("comments")


async def clubs_step(session: AsyncSession, world: World) -> None:
    """Clubs in several cities with members, upcoming events with answers, and chat."""
    made = (
        ("Spree Runners", "run", 0),
        ("Isar Riders", "ride", 1),
        ("Moscow Morning Run", "run", 4),
        ("Thames Trotters", "run", 7),
        ("Alpine Hikers Zurich", "hike", 3),
        ("Berlin Trail Crew", "run", 0),
    )
    for name, sport, city_index in made:
        local = [p for p in world.people[1:] if p.city is CITIES[city_index]]
        founder = local[len(world.clubs) % len(local)]
        city = founder.city
        club = await create_club(
            session,
            world.ids([founder])[0],
            ClubIn(
                name=name,
                description=f"Weekly {sport} sessions in {city.name}. Everyone welcome.",
                sport=sport,
                country=city.country,
                region=city.region,
                city=city.name,
            ),
        )
        world.clubs.append(club.id)
        world.count("clubs")
        visitors = world.rng.sample(world.people[1:], 3)
        members = [p for p in [*local, *visitors] if p is not founder]
        if city_index == 0:
            members.insert(0, world.demo)
        for member in members[:14]:
            await join_club(session, world.ids([member])[0], club.id)
            world.count("club members")
        for weeks in (0, 1, 2):
            starts = (world.now + timedelta(days=2 + 7 * weeks)).replace(
                hour=8, minute=0, second=0, microsecond=0
            )
            event = await create_event(
                session,
                world.ids([founder])[0],
                club.id,
                ClubEventIn(
                    title=f"Saturday {sport} #{weeks + 1}",
                    sport=sport,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    meeting_point=f"{city.name} centre",
                    meeting_lat=city.lat,
                    meeting_lon=city.lon,
                    capacity=30,
                ),
            )
            world.count("club events")
            for member in members[:10]:
                await answer(session, world.ids([member])[0], event.id, world.rng.random() < 0.7)
        for member in [founder, *members[:8]]:
            await post_message(session, world.ids([member])[0], club.id, world.rng.choice(CHAT))
            world.count("chat messages")


def _city(index: int) -> str:
    return CITIES[index].name


async def challenges_step(session: AsyncSession, world: World) -> None:
    """A month's distance challenge for everyone and a regional one for Berlin, joined by many."""
    demo_id = world.ids([world.demo])[0]
    first = world.today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    everyone = await create_challenge(
        session,
        demo_id,
        True,
        ChallengeIn(
            title="100 km this month",
            description="Run, ride or walk: every kilometre counts.",
            metric="distance",
            target=100_000,
            start_date=first - timedelta(days=40),
            end_date=last,
        ),
        world.today,
    )
    berlin = await create_challenge(
        session,
        demo_id,
        True,
        ChallengeIn(
            title="Berlin: 10 runs",
            description="Ten runs anywhere in Berlin's colours.",
            metric="count",
            sport="run",
            target=10,
            start_date=first - timedelta(days=40),
            end_date=last,
            audience="region",
            country="DE",
            region="DE-BE",
        ),
        world.today,
    )
    for person in world.people:
        person_id = world.ids([person])[0]
        if person is world.demo or world.rng.random() < 0.6:
            await join_challenge(session, person_id, everyone.id, world.today)
            world.count("challenge entries")
        if person.city.region == "DE-BE":
            await join_challenge(session, person_id, berlin.id, world.today)
            world.count("challenge entries")
    world.count("challenges", 2)


async def goals_step(session: AsyncSession, world: World) -> None:
    """The demo person's goals: a week's distance, a month's runs."""
    demo_id = world.ids([world.demo])[0]
    await create_goal(
        session, demo_id, GoalIn(metric="distance", sport="run", period="week", target=30_000), world.today
    )
    await create_goal(session, demo_id, GoalIn(metric="count", period="month", target=12), world.today)
    world.count("goals", 2)


async def training_step(session: AsyncSession, world: World) -> None:
    """A 10 km plan for the demo person, race day in ten weeks."""
    await create_plan(
        session,
        world.ids([world.demo])[0],
        PlanIn(
            goal="10k",
            level="intermediate",
            target_date=world.today + timedelta(weeks=10),
            weekdays=[1, 3, 5, 6],
        ),
        world.today,
    )
    world.count("training plans")


async def finish_window_race_step(session: AsyncSession, world: World) -> None:
    """The window race closes an hour ago and its results are made final."""
    staff = Viewer(world.ids([world.demo])[0], is_staff=True)
    await update_race(
        session, staff, world.races["window"], RacePatch(ends_at=world.now - timedelta(hours=1))
    )
    world.count("finished races", len(await finalize_due(session)))


STEPS: list[Step] = [
    people_step,
    catalog_step,
    races_step,
    activities_step,
    worn_shoe_step,
    promotions_step,
    news_step,
    social_step,
    clubs_step,
    challenges_step,
    goals_step,
    training_step,
    finish_window_race_step,
]


@dataclass
class Outcome:
    seeded: bool
    counts: dict[str, int]
    seconds: float
    steps: dict[str, float]


async def seed(
    db: Database,
    settings: Settings,
    *,
    force: bool = False,
    size: int = 60,
    seed_value: int = 17,
    now: datetime | None = None,
) -> Outcome:
    """Fill the database with the demo world; nothing changes when it is there already."""
    started = time.perf_counter()
    async with db.unit_of_work() as session:
        if await accounts.user_by_email(session, DEMO_EMAIL) is not None:
            return Outcome(False, {}, time.perf_counter() - started, {})
        strangers = await session.scalar(
            select(func.count()).select_from(User).where(~User.email.like(f"%@{DEMO_DOMAIN}"))
        )
    if strangers and not force:
        raise NotDemoDatabase(f"the database holds {strangers} people who are not demo people")
    rng = random.Random(seed_value)
    world = World(settings, rng, now or datetime.now(UTC), people(rng, size))
    bus = EmbeddedBus(db, registry, RetryPolicy(max_attempts=3, backoff_seconds=0.0, backoff_max_seconds=0.0))
    timings: dict[str, float] = {}
    for step in STEPS:
        step_started = time.perf_counter()
        async with db.unit_of_work() as session:
            await step(session, world)
        await bus.drain(max_rounds=100_000)
        timings[step.__name__.removesuffix("_step")] = round(time.perf_counter() - step_started, 2)
    return Outcome(True, world.counts, time.perf_counter() - started, timings)


def summary(outcome: Outcome) -> dict[str, Any]:
    return {
        "seeded": outcome.seeded,
        "seconds": round(outcome.seconds, 1),
        "counts": outcome.counts,
        "steps_seconds": outcome.steps,
    }
