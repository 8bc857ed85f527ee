"""A news item's main image: decoded by Pillow (the type is what the content says, never the
name), turned upright, re-encoded without its metadata (EXIF: camera, place, time) and made in
the widths pages offer through ``srcset``.

Only image work lives here; storing goes through ``services/storage`` (and the shared upload
checks, once they exist, can take the size and count limits off this module).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.services.errors import DomainError

#: Largest upload taken, in bytes.
MAX_BYTES = 8 * 1024 * 1024
#: Largest picture decoded (a small file may unpack to gigabytes: a decompression bomb).
MAX_PIXELS = 40_000_000
#: The formats taken, by what Pillow finds in the file.
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
#: The widths made (never wider than the original; the smallest is always made).
WIDTHS = (400, 800, 1600)
QUALITY = 82


class ImageRefused(DomainError):
    """The upload is not an image the portal takes."""


@dataclass(frozen=True)
class Sizes:
    width: int
    height: int
    #: width → WebP bytes
    files: dict[int, bytes]


def _refuse() -> ImageRefused:
    return ImageRefused(_l("The image must be a JPEG, PNG, WebP or GIF picture of at most %(size)s MB.",
                           size=MAX_BYTES // (1024 * 1024)), "image")


def _decode(data: bytes) -> Image.Image:
    if not data or len(data) > MAX_BYTES:
        raise _refuse()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise _refuse()
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise _refuse() from exc
    return picture


def _encode(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif= and no icc_profile=: the new file carries pixels only.
    picture.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def make_sizes(data: bytes) -> Sizes:
    """Decode ``data`` and make the widths of ``WIDTHS``; ``ImageRefused`` for anything else."""
    picture = _decode(data)
    picture = ImageOps.exif_transpose(picture)  # the camera's rotation, applied to the pixels
    picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    files: dict[int, bytes] = {}
    for width in WIDTHS:
        if width > picture.width and files:
            break
        target = min(width, picture.width)
        height = max(1, round(picture.height * target / picture.width))
        files[target] = _encode(picture.resize((target, height), Image.Resampling.LANCZOS))
    return Sizes(picture.width, picture.height, files)
