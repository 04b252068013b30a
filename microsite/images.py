"""Pictures: their size read from the file itself, narrower copies of large photos, and share images
(the picture social apps show with a link)."""

from __future__ import annotations

import io
import re
import struct
from typing import Callable
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
EXIF_ORIENTATION = 0x0112  # values 5 to 8: the camera was turned, so the picture shows turned a quarter
# Narrower copies of a photo, for srcset: phones at 1x to 3x and the text column at 2x. A copy is
# made only if it is at most 3/4 of the photo's width; smaller savings are not worth a request's choice.
VARIANT_WIDTHS = (480, 800, 1200, 1600)
VARIANT_SHARE = 0.75
JPEG_SETTINGS = {"quality": 80, "optimize": True, "progressive": True}
SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
SVG_LENGTH = re.compile(r"\s*([0-9.]+)\s*(?:px)?\s*$")


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
              example="Harbour Clinic: information for patients about laser hair removal"),
    ))


@dataclass(frozen=True)
class Variant:
    """A narrower copy of a photo: its width in pixels and its path in the output."""

    width: int
    path: str


class PictureError(Exception):
    """A picture that cannot be decoded."""


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


def picture_size(data: bytes) -> tuple[int, int] | None:
    """The size a browser shows a PNG, JPEG or SVG picture at (a JPEG turned as its EXIF says), or None."""
    if tag := SVG_TAG.search(data[:4096]):
        return _svg_size(tag.group().decode("utf-8", "replace"))
    size = image_size(data)
    if size and data.startswith(b"\xff\xd8") and _exif_orientation(data) in (5, 6, 7, 8):
        return size[1], size[0]
    return size


def variants(data: bytes, width: int, path_for: Callable[[int], str]) -> list[tuple[Variant, bytes]]:
    """Narrower JPEG copies of a JPEG photo `width` pixels wide, named by `path_for(width)`.

    Only photos: resizing a PNG drawing gives a blurrier picture that is often a bigger file
    (the 1200-pixel share.png, 46 KB, makes an 800-pixel copy of 65 KB).
    """
    widths = [w for w in VARIANT_WIDTHS if w <= width * VARIANT_SHARE]
    if not widths or not data.startswith(b"\xff\xd8"):
        return []
    from PIL import Image, ImageOps  # only sites with large photos pay for loading Pillow

    try:
        with Image.open(io.BytesIO(data)) as opened:
            photo = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PictureError(str(exc)) from exc
    made = []
    for w in widths:
        buffer = io.BytesIO()
        photo.resize((w, round(photo.height * w / photo.width)), Image.Resampling.LANCZOS).save(
            buffer, "JPEG", **JPEG_SETTINGS)
        made.append((Variant(w, path_for(w)), buffer.getvalue()))
    return made


def _exif_orientation(data: bytes) -> int:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.getexif().get(EXIF_ORIENTATION, 1)
    except (OSError, ValueError, Image.DecompressionBombError):
        return 1


def _svg_size(tag: str) -> tuple[int, int] | None:
    """The size of an SVG picture from its width and height, or else its viewBox."""
    def attribute(name: str) -> str | None:
        found = re.search(rf"""\s{name}\s*=\s*["']([^"']*)["']""", tag)
        return found.group(1) if found else None

    lengths = [SVG_LENGTH.match(attribute(name) or "") for name in ("width", "height")]
    if all(lengths):
        return tuple(round(float(m.group(1))) for m in lengths)  # type: ignore[return-value]
    box = (attribute("viewBox") or "").replace(",", " ").split()
    try:
        width, height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None
    return (round(width), round(height)) if width > 0 and height > 0 else None
