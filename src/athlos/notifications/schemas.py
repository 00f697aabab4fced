"""What the notifications API takes and gives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, HttpUrl, model_validator


class NotificationOut(BaseModel):
    id: uuid.UUID
    type: str
    created_at: datetime
    read: bool
    title: str = Field(description="In the reader's language")
    body: str
    link: str = Field(description="Where the notification leads in the web app (a path), or empty")


class UnreadCount(BaseModel):
    count: int


class MarkRead(BaseModel):
    """Either some notifications by id, or all of them."""

    ids: list[uuid.UUID] | None = Field(default=None, max_length=500)
    all: bool = False

    @model_validator(mode="after")
    def one_of(self) -> Self:
        if (self.ids is None) == (not self.all):
            raise ValueError('give either "ids" or "all": true')
        return self


class MarkedRead(BaseModel):
    marked: int = Field(description="How many were unread and are read now")
    count: int = Field(description="Unread notifications left")


MailChoice = Literal["off", "immediate", "digest"]


class Channels(BaseModel):
    """A type's channels; a channel the type is not offered on is absent."""

    inbox: bool | None = None
    email: MailChoice | None = None
    push: bool | None = None
    telegram: bool | None = None


class PreferenceOut(BaseModel):
    type: str
    label: str
    category: str
    may_turn_off: bool
    channels: Channels


class QuietHours(BaseModel):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["22:00"])
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["07:00"])


class PersonSettingsIn(BaseModel):
    quiet_hours: QuietHours | None = Field(
        default=None, description="Pushes and Telegram wait until they end, in the person's time zone"
    )
    pushes_per_hour: int = Field(default=10, ge=0, le=100)


class PersonSettingsOut(PersonSettingsIn):
    marketing_consent: bool
    marketing_consent_at: datetime | None


class PreferencesOut(BaseModel):
    types: list[PreferenceOut]
    settings: PersonSettingsOut


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(BaseModel):
    """What ``PushSubscription.toJSON()`` gives in the browser."""

    endpoint: HttpUrl
    keys: PushKeys


class PushSubscriptionOut(BaseModel):
    id: uuid.UUID
    device: str
    created_at: datetime
    last_sent_at: datetime | None
