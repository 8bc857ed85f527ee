"""Pictures people upload for pages (news' main image, infrastructure projects' photos):
decoded by Pillow (the type is what the content says, never the name), turned upright,
re-encoded without their metadata (EXIF: camera, place, time) and made in the widths pages
offer through ``srcset``; ``store_sizes`` keeps the files through ``services/storage``.

Attachments that are only downloaded go through ``services/uploads.py`` instead.
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


def _refuse(field: str = "image") -> ImageRefused:
    return ImageRefused(_l("The image must be a JPEG, PNG, WebP or GIF picture of at most %(size)s MB.",
                           size=MAX_BYTES // (1024 * 1024)), field)


def _decode(data: bytes, field: str = "image") -> Image.Image:
    if not data or len(data) > MAX_BYTES:
        raise _refuse(field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise _refuse(field)
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise _refuse(field) from exc
    return picture


def _encode(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif= and no icc_profile=: the new file carries pixels only.
    picture.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def make_sizes(data: bytes, *, field: str = "image") -> Sizes:
    """Decode ``data`` and make the widths of ``WIDTHS``; ``ImageRefused`` (on the form field
    ``field``) for anything else."""
    picture = _decode(data, field)
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


def store_sizes(sizes: Sizes, folder: str, stem: str) -> dict[str, str]:
    """Store each width as ``<stem>-<width>.webp`` in ``folder``; {"400": key, ...}. The files
    go away again if the transaction rolls back."""
    from portal.services import storage

    paths = {}
    for width, webp in sizes.files.items():
        key, _safe = storage.save(folder, f"{stem}-{width}.webp", webp)
        storage.unlink_on_rollback(key)
        paths[str(width)] = key
    return paths
