"""Share images: the picture social apps show with a link, and its size read from the file itself."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, error, warning
from .schema import Field
from .sitepaths import outside_site
from .yamldoc import KeyPath, YamlDoc

MIN_SIDE = 200  # social apps ignore smaller images
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other segments.
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xDA)}  # markers with no length field


@dataclass(frozen=True)
class ImageRef:
    path: str  # under static/
    alt: str


@dataclass(frozen=True)
class ShareImage:
    path: str
    alt: str
    width: int
    height: int


def share_image_field(doc: str) -> Field:
    """The `share_image` setting, in site.yaml and in front matter (`doc` says which)."""
    return Field("share_image", "mapping", doc, build=ImageRef, fields=(
        Field("path", "text", "The image file under static/: a PNG or JPEG, best 1200 × 630 pixels.", required=True,
              example="share.png"),
        Field("alt", "text", "What the image shows, for people who cannot see it.", required=True,
              example="Harbour Vein Clinic: information for patients about thread veins"),
    ))


def measure_share_image(ref: ImageRef, static_dir: Path, doc: YamlDoc,
                        prefix: str = "") -> tuple[ShareImage | None, list[Diagnostic]]:
    """The image `ref` names, with its size; problems are reported at the setting's line."""
    keys: KeyPath = ("share_image", "path")
    path = PurePosixPath(ref.path.lstrip("/"))
    if ".." in path.parts:
        return None, [error(doc.path, doc.line(keys), f"{prefix}share_image.path must be a file under static/, "
                                                      f"not {ref.path!r}")]
    file = static_dir / path
    if problem := outside_site(file, static_dir.parent):
        return None, [error(doc.path, doc.line(keys), f"{prefix}share_image.path: static/{path}: {problem.message}")]
    try:
        if not file.is_file():  # a folder, or a pipe that would never finish reading
            raise FileNotFoundError(file)
        data = file.read_bytes()
    except OSError:
        return None, [error(doc.path, doc.line(keys), f"{prefix}share_image.path: no file static/{path}")]
    size = image_size(data)
    if size is None:
        return None, [error(doc.path, doc.line(keys), f"{prefix}share_image.path: static/{path} is not a PNG or "
                                                      "JPEG image (the formats every social app shows)")]
    image = ShareImage(path.as_posix(), ref.alt, *size)
    if min(size) < MIN_SIDE:
        return image, [warning(doc.path, doc.line(keys), f"{prefix}share_image.path: static/{path} is "
                                                         f"{size[0]} × {size[1]} pixels; social apps ignore images "
                                                         f"under {MIN_SIDE} × {MIN_SIDE} (1200 × 630 is best)")]
    return image, []


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG image from its header, or None for anything else."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
        elif marker in JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        elif marker in JPEG_STANDALONE:
            i += 2
        else:
            i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return None
