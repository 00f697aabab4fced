"""The profile API: one's own profile and avatar under ``/me``, others' public profiles under ``/users``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status
from fastapi.responses import FileResponse

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.accounts.models import User
from athlos.accounts.profiles import service as profiles
from athlos.accounts.profiles.avatars import MAX_BYTES
from athlos.accounts.profiles.models import Profile
from athlos.accounts.profiles.schemas import ProfileIn, ProfileOut, PublicProfileOut
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["profile"], responses=problem_responses(401, 404, 413, 422))

# What others may see of a visible profile: no body data, no settings.
PUBLIC_FIELDS = {"display_name", "avatar_url", "country", "region", "city", "favourite_sports"}


def profile_out(user: User, profile: Profile) -> ProfileOut:
    return ProfileOut(
        user_id=user.id,
        display_name=user.display_name,
        avatar_url=profiles.avatar_url(user.id, profile),
        birth_year=profile.birth_year,
        sex=profile.sex,
        weight_kg=profile.weight_kg,
        height_cm=profile.height_cm,
        resting_heart_rate=profile.resting_heart_rate,
        max_heart_rate=profile.max_heart_rate,
        country=profile.country,
        region=profile.region,
        city=profile.city,
        time_zone=profile.time_zone,
        units=profile.units,
        language=profile.language,
        goals=profile.goals,
        favourite_sports=list(profile.favourite_sports),
        profile_visibility=profile.profile_visibility,
        default_activity_visibility=profile.default_activity_visibility,
        in_regional_comparisons=profile.in_regional_comparisons,
        marketing_consent=profile.marketing_consent,
        approve_followers=profile.approve_followers,
    )


async def own_profile(session: SessionDep, user_id: uuid.UUID) -> ProfileOut:
    profile = await profiles.get_profile(session, user_id)
    user = await session.get(User, user_id)
    assert user is not None
    return profile_out(user, profile)


@router.get("/me/profile", response_model=ProfileOut)
async def read_profile(user: CurrentUserDep, session: SessionDep) -> ProfileOut:
    return await own_profile(session, user.id)


@router.patch("/me/profile", response_model=ProfileOut)
async def update_profile(body: ProfileIn, user: CurrentUserDep, session: SessionDep) -> ProfileOut:
    await profiles.update_profile(session, user.id, body)
    return await own_profile(session, user.id)


@router.put("/me/avatar", response_model=ProfileOut)
async def put_avatar(
    user: CurrentUserDep,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A JPEG, PNG, WebP or GIF image of at most 5 MiB")],
) -> ProfileOut:
    raw = await file.read(MAX_BYTES + 1)
    await profiles.set_avatar(session, settings.data_dir, user.id, raw)
    return await own_profile(session, user.id)


@router.delete("/me/avatar", status_code=status.HTTP_204_NO_CONTENT)
async def delete_avatar(user: CurrentUserDep, session: SessionDep, settings: SettingsDep) -> Response:
    await profiles.remove_avatar(session, settings.data_dir, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users/{user_id}", response_model=PublicProfileOut)
async def read_public_profile(
    user_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep
) -> PublicProfileOut:
    owner, profile = await profiles.visible_profile(session, viewer.id if viewer else None, user_id)
    full = profile_out(owner, profile)
    return PublicProfileOut(id=owner.id, **full.model_dump(include=PUBLIC_FIELDS))


@router.get(
    "/users/{user_id}/avatar",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}}}},
)
async def read_avatar(
    user_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    _, profile = await profiles.visible_profile(session, viewer.id if viewer else None, user_id)
    path = None if profile.avatar is None else profiles.avatars_dir(settings.data_dir) / profile.avatar
    if path is None or not path.is_file():
        raise profiles.ProfileNotFound()
    return FileResponse(
        path,
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600"},
    )
