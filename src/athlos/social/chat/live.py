"""Club chat's live channel: after a commit that posted or deleted a message, the message goes to every
web process (through Redis when configured), to the open chat streams of its club.

The entry carries what a stream shows, so delivering to a thousand open pages reads nothing again; each
stream leaves out the authors its reader is blocked with. A member who leaves or is removed gets a
``left`` entry, which ends their stream.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.live import Hub
from athlos.settings import get_settings
from athlos.social.chat.models import ClubMessage
from athlos.social.reactions import mentions

CHANNEL: Final = "athlos:chat:club"

hub = Hub(CHANNEL, lambda: get_settings().redis_url)


def message_data(message: ClubMessage) -> dict[str, Any]:
    """What a stream needs to show a message: its ids, time, and text cut into plain runs and mentions."""
    deleted = message.deleted_at is not None
    return {
        "kind": "deleted" if deleted else "message",
        "id": str(message.id),
        "author_id": str(message.author_id),
        "created_at": message.created_at.isoformat(),
        "pieces": []
        if deleted
        else [
            {"text": piece.text, "user_id": str(piece.user_id) if piece.user_id else None}
            for piece in mentions.pieces(message.text)
        ],
    }


def after_commit(session: AsyncSession, message: ClubMessage) -> None:
    hub.after_commit(session, [(str(message.club_id), message_data(message))])
