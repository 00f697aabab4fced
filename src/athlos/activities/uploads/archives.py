"""ZIP uploads: one ``activity.upload_member`` event per item of the archive, each imported in its own
transaction, so the upload's progress counts move as the items are done and a bad item spoils nothing.

The archive's layout tells what it is: an Apple Health export (an item per workout of its
``export.xml``), a Strava bulk export (an item per row of ``activities.csv``), a Google Takeout (an item
per Google Fit ``.tcx``), or else any ZIP of activity files (an item per file). Files are only ever read
from the archive by their exact name, never unpacked to disk under a name taken from it.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import uuid
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.importers import apple_health, google_takeout, strava_archive
from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import CORRUPT_FILE, TOO_LARGE, UNSAFE_PATH, ImportRefused
from athlos.activities.models import Upload
from athlos.activities.service import find_by_file
from athlos.activities.storage import member_path, safe_filename
from athlos.activities.streams import ParsedFile
from athlos.activities.uploads.importing import (
    DUPLICATE,
    EMPTY_ARCHIVE,
    NO_ACTIVITIES,
    fail,
    finish,
    import_file,
    import_parsed,
)
from athlos.core.events import emit

UPLOAD_MEMBER: Final = "activity.upload_member"
MAX_ARCHIVE_MEMBERS: Final = 5000
ZIP_MAGIC: Final = b"PK\x03\x04"
FILES: Final = "files"
APPLE_HEALTH: Final = "apple_health"
STRAVA: Final = "strava"
GOOGLE_FIT: Final = "google_fit"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OSError,
)
_DUPLICATE_MARK: Final = ": duplicate: "
_DRIVE = re.compile(r"^[A-Za-z]:")


def archive_members(path: Path) -> list[zipfile.ZipInfo]:
    """The files of the archive worth trying, in archive order (folders and system litter left out)."""
    with zipfile.ZipFile(path) as archive:
        return [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.rsplit("/", 1)[-1].startswith(".")
            and not info.filename.startswith("__MACOSX/")
        ]


def read_member(path: Path, index: int, max_bytes: int) -> tuple[str, bytes]:
    """The name and content of member ``index``; refused when it unpacks to more than ``max_bytes``."""
    info = archive_members(path)[index]
    if info.file_size > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file is larger than {max_bytes} bytes")
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as member:
            content = member.read(max_bytes + 1)
    except _ZIP_ERRORS as exc:
        raise ImportRefused(CORRUPT_FILE, f"the file cannot be unpacked: {exc}") from None
    if len(content) > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file unpacks to more than {max_bytes} bytes")
    return info.filename, content


def read_named(path: Path, name: str, max_bytes: int) -> bytes:
    """The content of the member called ``name``; refused when it unpacks to more than ``max_bytes``."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(name)
            if info.file_size > max_bytes:
                raise ImportRefused(TOO_LARGE, f"the file is larger than {max_bytes} bytes")
            with archive.open(info) as member:
                content = member.read(max_bytes + 1)
    except KeyError:
        raise ImportRefused(CORRUPT_FILE, f"the archive holds no file {name!r}") from None
    except _ZIP_ERRORS as exc:
        raise ImportRefused(CORRUPT_FILE, f"the file cannot be unpacked: {exc}") from None
    if len(content) > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file unpacks to more than {max_bytes} bytes")
    return content


def safe_member_name(folder: str, reference: str, *, rooted: bool = False) -> str:
    """The archive member an export's listing refers to, relative to ``folder``; ``unsafe_path`` for a
    reference that climbs out of the archive or is absolute on some system. ``rooted``: the listing
    writes its references from a leading ``/`` that stands for ``folder`` (Apple Health does)."""
    name = reference.strip()
    if rooted and name.startswith("/") and not name.startswith("//"):
        name = name[1:]
    parts = name.split("/")
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or _DRIVE.match(name)
        or any(part in ("..", ".") for part in parts)
    ):
        raise ImportRefused(UNSAFE_PATH, f"the export refers to the unsafe path {reference[:200]!r}")
    return f"{folder}{name}"


def archive_kind(names: list[str]) -> tuple[str, str]:
    """What the archive is, from the names of its files, and the folder its listing is in."""
    for kind, listing in ((APPLE_HEALTH, apple_health.EXPORT_XML), (STRAVA, strava_archive.ACTIVITIES_CSV)):
        for name in names:
            folder, _, base = name.rpartition("/")
            if base == listing and folder.count("/") == 0:
                return kind, f"{folder}/" if folder else ""
    if any(google_takeout.is_fit_activity(name) for name in names):
        return GOOGLE_FIT, ""
    return FILES, ""


def _apple_items(path: Path, listing: str) -> tuple[list[dict[str, Any]], list[str]]:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(listing)
        limit = apple_health.xml_allowance(info.compress_size)
        with archive.open(info) as raw:
            stream = apple_health.LimitedReader(raw, limit, "export.xml")
            return apple_health.read_workouts(io.BufferedReader(stream), max_workouts=MAX_ARCHIVE_MEMBERS)


def _strava_items(path: Path, listing: str, max_bytes: int) -> tuple[list[dict[str, Any]], list[str]]:
    data = read_named(path, listing, max_bytes)
    return strava_archive.read_activities_csv(data, max_rows=MAX_ARCHIVE_MEMBERS)


async def start_archive(session: AsyncSession, upload: Upload, max_bytes: int) -> None:
    """Tell what the archive is, count its items and queue one import per item."""
    path = Path(upload.stored_path)
    try:
        members = await asyncio.to_thread(archive_members, path)
    except _ZIP_ERRORS as exc:
        fail(upload, CORRUPT_FILE, f"The ZIP archive is damaged: {exc}")
        return
    if not members:
        fail(upload, EMPTY_ARCHIVE, "The ZIP archive holds no files.")
        return
    names = [info.filename for info in members]
    kind, folder = archive_kind(names)
    items: list[dict[str, Any]] | None = None
    warnings: list[str] = []
    try:
        if kind == APPLE_HEALTH:
            workouts, warnings = await asyncio.to_thread(_apple_items, path, folder + apple_health.EXPORT_XML)
            items = [{**workout, "folder": folder} for workout in workouts]
        elif kind == STRAVA:
            listing = folder + strava_archive.ACTIVITIES_CSV
            rows, warnings = await asyncio.to_thread(_strava_items, path, listing, max_bytes)
            items = [{**row, "folder": folder} for row in rows]
        elif kind == GOOGLE_FIT:
            items = [{"member": name} for name in names if google_takeout.is_fit_activity(name)]
    except ImportRefused as refused:
        fail(upload, refused.code, f"The {_KIND_NAMES[kind]} cannot be imported: {refused.detail}")
        return
    except _ZIP_ERRORS as exc:
        fail(upload, CORRUPT_FILE, f"The ZIP archive is damaged: {exc}")
        return
    count = len(members) if items is None else len(items)
    if count > MAX_ARCHIVE_MEMBERS:
        fail(upload, TOO_LARGE, f"The ZIP archive holds more than {MAX_ARCHIVE_MEMBERS} files.")
        return
    upload.warnings = [*upload.warnings, *warnings]
    if not count:
        fail(upload, NO_ACTIVITIES, f"The {_KIND_NAMES[kind]} holds no activities.")
        return
    upload.progress_total = count
    upload.progress_done = 0
    for index in range(count):
        payload: dict[str, Any] = {"upload_id": str(upload.id), "index": index, "max_bytes": max_bytes}
        if items is not None:
            payload |= {"kind": kind, "item": items[index]}
        emit(session, UPLOAD_MEMBER, upload.id, payload)


_KIND_NAMES: Final = {
    FILES: "ZIP archive",
    APPLE_HEALTH: "Apple Health export",
    STRAVA: "Strava export",
    GOOGLE_FIT: "Google Takeout",
}


async def import_member(
    session: AsyncSession,
    upload_id: uuid.UUID,
    index: int,
    max_bytes: int,
    kind: str = FILES,
    item: dict[str, Any] | None = None,
) -> None:
    """Import one item of an archive and count it; the last one settles the upload."""
    # The row lock serialises the members of one upload across workers (duplicates, counts, lists).
    upload = await session.get(Upload, upload_id, with_for_update=True)
    if upload is None or upload.status != "processing" or index >= upload.progress_total:
        return
    archive = Path(upload.stored_path)
    ids: list[str] = []
    warnings: list[str] = []
    label = f"file {index + 1}"
    try:
        if kind == FILES or item is None:
            label, ids, warnings = await _import_file_member(session, upload, archive, index, max_bytes)
        elif kind == APPLE_HEALTH:
            label = _workout_label(item)
            ids, warnings = await _import_workout(session, upload, archive, index, item, max_bytes)
        elif kind == STRAVA:
            label = str(item.get("file") or f"activity {item.get('id')}")
            ids, warnings = await _import_strava_row(session, upload, archive, index, item, max_bytes)
        else:
            label = str(item["member"])
            ids, warnings = await _import_google_file(session, upload, archive, index, item, max_bytes)
    except ImportRefused as refused:
        warnings = [f"{refused.code}: {refused.detail}"]
    upload.activity_ids = [*upload.activity_ids, *ids]
    upload.warnings = [*upload.warnings, *(f"{label}: {warning}" for warning in warnings)]
    upload.progress_done += 1
    if upload.progress_done >= upload.progress_total:
        _settle(upload)
    await session.flush()


async def _duplicate(session: AsyncSession, upload: Upload, sha256: str) -> list[str] | None:
    existing = await find_by_file(session, upload.owner_id, sha256)
    if existing is None:
        return None
    upload.duplicate_of = existing.id
    return [f"{_DUPLICATE_MARK[2:]}already imported as activity {existing.id}"]


async def _import_file_member(
    session: AsyncSession, upload: Upload, archive: Path, index: int, max_bytes: int
) -> tuple[str, list[str], list[str]]:
    try:
        members = await asyncio.to_thread(archive_members, archive)
    except _ZIP_ERRORS:
        members = []
    if index >= len(members):
        raise ImportRefused(CORRUPT_FILE, "the archive can no longer be read")
    name = members[index].filename
    try:
        name, content = await asyncio.to_thread(read_member, archive, index, max_bytes)
        sha256 = hashlib.sha256(content).hexdigest()
        duplicate = await _duplicate(session, upload, sha256)
        if duplicate is not None:
            return name, [], duplicate
        stored = member_path(archive, index)
        ids, found = await import_file(
            session, upload, content, sha256, stored, safe_filename(name), max_bytes
        )
        await asyncio.to_thread(stored.write_bytes, content)
    except ImportRefused as refused:
        return name, [], [f"{refused.code}: {refused.detail}"]
    return name, ids, found


def _workout_label(item: dict[str, Any]) -> str:
    start = datetime.fromtimestamp(float(item["start"]), UTC).strftime("%Y-%m-%d %H:%M")
    kind = str(item.get("type") or "workout").removeprefix("HKWorkoutActivityType")
    return f"{kind} workout of {start} UTC"


async def _import_workout(
    session: AsyncSession, upload: Upload, archive: Path, index: int, item: dict[str, Any], max_bytes: int
) -> tuple[list[str], list[str]]:
    sha256 = apple_health.workout_key(item)
    duplicate = await _duplicate(session, upload, sha256)
    if duplicate is not None:
        return [], duplicate
    warnings: list[str] = []
    route: bytes | None = None
    route_name = "route.gpx"
    if item.get("route"):
        try:
            name = safe_member_name(str(item.get("folder") or ""), str(item["route"]), rooted=True)
            route = await asyncio.to_thread(read_named, archive, name, max_bytes)
            route_name = safe_filename(name, "route.gpx")
        except ImportRefused as refused:
            warnings.append(f"its route was left out ({refused.code}: {refused.detail})")
    parsed = await asyncio.to_thread(apple_health.workout_activity, item, route)
    stored = member_path(archive, index) if route is not None else None
    ids, found = await import_parsed(session, upload, parsed, sha256, stored, route_name)
    if stored is not None and route is not None:
        await asyncio.to_thread(stored.write_bytes, route)
    return ids, [*warnings, *found]


async def _import_strava_row(
    session: AsyncSession, upload: Upload, archive: Path, index: int, item: dict[str, Any], max_bytes: int
) -> tuple[list[str], list[str]]:
    listing: dict[str, Any] = {
        "sport": item.get("sport") or None,
        "name": item.get("name"),
        "description": item.get("description"),
    }
    if listing["sport"] == "other":
        listing["sport"] = None  # a kind we have no sport for (or none): the file may know better
    warnings: list[str] = []
    if item.get("file"):
        name = safe_member_name(str(item.get("folder") or ""), str(item["file"]))
        try:
            content = await asyncio.to_thread(read_named, archive, name, max_bytes)
        except ImportRefused as refused:
            if refused.code != CORRUPT_FILE or "holds no file" not in refused.detail:
                raise
            warnings.append("its file is not in the archive; imported from the listed totals")
        else:
            sha256 = hashlib.sha256(content).hexdigest()
            duplicate = await _duplicate(session, upload, sha256)
            if duplicate is not None:
                return [], duplicate
            parsed = await asyncio.to_thread(parse_bytes, content, name, max_bytes=max_bytes)
            stored = member_path(archive, index)
            ids, found = await import_parsed(
                session, upload, parsed, sha256, stored, safe_filename(name), **listing
            )
            await asyncio.to_thread(stored.write_bytes, content)
            return ids, found
    sha256 = strava_archive.row_key(item)
    duplicate = await _duplicate(session, upload, sha256)
    if duplicate is not None:
        return [], duplicate
    parsed_row: ParsedFile = strava_archive.row_activity(item)
    ids, found = await import_parsed(session, upload, parsed_row, sha256, None, "activities.csv", **listing)
    return ids, [*warnings, *found]


async def _import_google_file(
    session: AsyncSession, upload: Upload, archive: Path, index: int, item: dict[str, Any], max_bytes: int
) -> tuple[list[str], list[str]]:
    name = str(item["member"])
    content = await asyncio.to_thread(read_named, archive, name, max_bytes)
    sha256 = hashlib.sha256(content).hexdigest()
    duplicate = await _duplicate(session, upload, sha256)
    if duplicate is not None:
        return [], duplicate
    parsed = await asyncio.to_thread(parse_bytes, content, name, max_bytes=max_bytes)
    sport, title = google_takeout.sport_and_name(name)
    stored = member_path(archive, index)
    ids, found = await import_parsed(
        session, upload, parsed, sha256, stored, safe_filename(name), sport=sport, name=title
    )
    await asyncio.to_thread(stored.write_bytes, content)
    return ids, found


def _settle(upload: Upload) -> None:
    if upload.activity_ids:
        finish(upload)
    elif sum(_DUPLICATE_MARK in w for w in upload.warnings) == upload.progress_total:
        fail(upload, DUPLICATE, "Every file of this archive was already imported.")
    else:
        fail(upload, NO_ACTIVITIES, "No file of this archive could be imported; see the warnings.")
