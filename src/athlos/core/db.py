"""Database engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, TypeDecorator, Uuid, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import ConnectionPoolEntry

from athlos.core.ids import new_id

# Set in ``session.info`` by whatever writes outbox rows, so the commit can wake the relay.
EVENTS_WRITTEN = "athlos.events_written"
# PostgreSQL channel on which a commit that wrote events notifies relays in other processes.
OUTBOX_CHANNEL = "athlos_outbox"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# An auto-incrementing 64-bit key; SQLite only auto-increments a plain INTEGER primary key.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


# How long a transaction waits for SQLite's one writer before it fails; each begins IMMEDIATE (below),
# so on a busy machine a request may queue behind several of the worker's handlers.
SQLITE_BUSY_TIMEOUT_S = 30


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin, so SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    # SQLite's own lower() knows only ASCII; ILIKE ("Утро" finding "утро") needs every letter's case.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 20
) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True
    )


class Database:
    """An engine and the session factory every unit of work draws from."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 20) -> None:
        self.url = url
        self.engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow)
        self.commit_listeners: list[Callable[[], None]] = []
        # A Session class of this database's own, so its commit hooks don't leak to other databases.
        session_class = type("AthlosSession", (Session,), {})
        event.listen(session_class, "before_commit", self._notify_other_processes)
        event.listen(session_class, "after_commit", self._notify_this_process)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=session_class
        )

    def _notify_other_processes(self, session: Session) -> None:
        if session.info.get(EVENTS_WRITTEN) and not self.is_sqlite:
            session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))

    def _notify_this_process(self, session: Session) -> None:
        if session.info.pop(EVENTS_WRITTEN, False):
            for listener in self.commit_listeners:
                listener()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the body succeeds, rolled back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()


T = TypeVar("T")


async def shielded(work: Awaitable[T]) -> T:
    """Database work that goes on to its end when its caller is cancelled.

    A task cancelled in the middle of a query can leave its SQLite connection inside a transaction,
    holding the database's one write lock until the garbage collector closes it: every writer then
    fails. Event streams, cancelled whenever their client goes away, do their queries through this.
    """
    return await asyncio.shield(work)


async def insert_if_missing(
    session: AsyncSession, model: type[Base], values: dict[str, Any], key: list[str]
) -> None:
    """Insert a row unless one with the same ``key`` exists — also when another transaction inserts it at
    the same moment (the loser waits for the winner and then changes nothing)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=key))
