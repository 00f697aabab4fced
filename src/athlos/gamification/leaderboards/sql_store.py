"""Boards answered from the totals table: the store without Redis, and the truth Redis is rebuilt from.

Every answer is a few index range queries on (sport, period, measure, user id): the top rows, the count
of people with more (the rank: the one long range, as long as the number of people ahead), and short
ones for the rows just above and below in the board's order."""

from __future__ import annotations

import uuid
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from athlos.gamification.leaderboards.boards import Answer, Board, Metric, Standing, ranked
from athlos.gamification.leaderboards.models import LeaderboardTotal as Total

COLUMNS: Final[dict[Metric, InstrumentedAttribute[float]]] = {
    "distance": Total.distance_m,
    "time": Total.moving_time_s,
    "elevation": Total.elevation_gain_m,
}


def placed(board: Board) -> list[ColumnElement[bool]]:
    """The rows of a board's people: listed, in its sport and period, and of its place or members."""
    where: list[ColumnElement[bool]] = [
        Total.sport == board.sport,
        Total.period == board.period,
        Total.listed.expression,  # bare, as the partial indexes say it
        COLUMNS[board.metric] > 0,
    ]
    if board.scope == "country":
        where.append(Total.country == board.place)
    elif board.scope == "region":
        where.append(Total.region == board.place)
    elif board.scope == "age_group":
        where.append(Total.age_group == board.place)
    elif board.scope == "sex":
        where.append(Total.sex == board.place)
    if board.members is not None:
        where.append(Total.user_id.in_(board.members))
    return where


class SqlBoards:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(
        self, board: Board, *where: ColumnElement[bool], ascending: bool, limit: int
    ) -> list[Any]:
        column = COLUMNS[board.metric]
        ordering = (column.asc(), Total.user_id.desc()) if ascending else (column.desc(), Total.user_id.asc())
        rows = await self.session.execute(
            select(Total.user_id, column).where(*placed(board), *where).order_by(*ordering).limit(limit)
        )
        return [(user_id, float(value)) for user_id, value in rows]

    async def _count(self, board: Board, *where: ColumnElement[bool]) -> int:
        return int(await self.session.scalar(select(func.count()).where(*placed(board), *where)) or 0)

    async def answer(self, board: Board, me: uuid.UUID, limit: int, reach: int) -> Answer:
        column = COLUMNS[board.metric]
        top = ranked(await self._rows(board, ascending=False, limit=limit), 1, 0)
        value = await self.session.scalar(select(column).where(*placed(board), Total.user_id == me))
        if value is None:
            return Answer(top, None, [])
        value = float(value)
        higher = await self._count(board, column > value)
        mine = Standing(higher + 1, me, value)
        tied_before = await self._count(board, column == value, Total.user_id < me)
        above = await self._rows(
            board, or_(column > value, and_(column == value, Total.user_id < me)), ascending=True, limit=reach
        )
        below = await self._rows(
            board,
            or_(column < value, and_(column == value, Total.user_id > me)),
            ascending=False,
            limit=reach,
        )
        window = [*reversed(above), (me, value), *below]
        first_value = window[0][1]
        # Those with more than the window's first row: those with more than me, less the few between
        # (a short range of the index, where counting everyone above again would be a long one).
        between = (
            0 if first_value == value else await self._count(board, column > value, column <= first_value)
        )
        first_rank = higher - between + 1
        around = ranked(window, first_rank, higher + tied_before - len(above))
        return Answer(top, mine, around)
