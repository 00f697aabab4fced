"""Where uploaded files and activity streams are kept: originals on disk, streams as compressed blobs."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from athlos.activities.streams import CHANNELS, Streams

UPLOADS_DIR: Final = "uploads"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def uploads_dir(data_dir: Path) -> Path:
    return data_dir / UPLOADS_DIR


def upload_path(data_dir: Path, upload_id: uuid.UUID) -> Path:
    """The stored original of one upload."""
    return uploads_dir(data_dir) / str(upload_id)


def member_path(upload_file: Path, index: int) -> Path:
    """The stored copy of one member of an uploaded archive, beside the archive."""
    return upload_file.with_name(f"{upload_file.name}.{index}")


def safe_filename(name: str | None, default: str = "upload") -> str:
    """A file name fit for storing and for a ``Content-Disposition`` header: no folders, no oddities."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:200] or default


def pack_streams(streams: Streams) -> bytes:
    """The recorded channels of ``streams`` as a compressed ``.npz`` (empty channels left out)."""
    columns = {"time": streams.time}
    columns.update({name: getattr(streams, name) for name in CHANNELS if streams.has(name)})
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **columns)  # type: ignore[arg-type]
    return buffer.getvalue()


def unpack_streams(blob: bytes) -> Streams:
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        columns = {name: archive[name] for name in archive.files}
    time = columns.pop("time")
    return Streams.from_columns(time, columns)


def unpack_positions(blob: bytes) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Only the latitudes and longitudes of packed streams (empty without a track): the archive
    decompresses just the channels read."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        if "lat" not in archive.files or "lon" not in archive.files:
            return np.empty(0), np.empty(0)
        return archive["lat"].astype(np.float64), archive["lon"].astype(np.float64)
