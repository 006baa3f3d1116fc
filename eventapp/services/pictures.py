"""Uploaded pictures (speaker photos, organization logos): checked, re-encoded, resized.

One home for the rule: a picture is at most 5 MB and 16 MP, one of JPEG, PNG, WebP or GIF;
it is stored re-encoded as a JPEG at most `STORED_EDGE` wide or high (which drops EXIF
location and anything that is not pixels), and served in the sizes of `SIZES`, each made
on first request. The services that own the rows (speakers, partnering profiles) decide
the file's name and write it on their row.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from eventapp.errors import InvalidPhoto

#: Largest upload accepted, and the largest picture (in pixels) we agree to decode: 16 MP
#: (4,900 x 3,270) is far more than a 1,024-pixel portrait needs; a 40 MP PNG took a
#: worker to 435 MB while being decoded.
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 16_000_000
#: Stored original is at most this wide/high; served sizes are derived from it.
STORED_EDGE = 1024
SIZES = (96, 256, 512)
_ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def store(upload: bytes, *, prefix: str, photos_dir: Path, field: str = "photo") -> str:
    """Check `upload` and store it as `<prefix>-<random>.jpg`; returns the file name.

    Raises InvalidPhoto (naming `field`) for files that are too large, not images, or of
    another format.
    """
    if len(upload) > MAX_BYTES:
        raise InvalidPhoto("the picture is larger than 5 MB", field=field)
    picture = _decode(upload, field)
    picture.thumbnail((STORED_EDGE, STORED_EDGE))
    photos_dir.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{secrets.token_hex(8)}.jpg"
    picture.save(photos_dir / name, "JPEG", quality=88)
    return name


def _decode(upload: bytes, field: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(upload)) as probe:
            if probe.format not in _ACCEPTED_FORMATS:
                raise InvalidPhoto("use a JPEG, PNG, WebP or GIF picture", field=field)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise InvalidPhoto("the picture has too many pixels", field=field)
            probe.verify()
        with Image.open(io.BytesIO(upload)) as picture:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers the stored size.
            picture.draft("RGB", (STORED_EDGE, STORED_EDGE))
            picture.load()
            upright = ImageOps.exif_transpose(picture)
            return upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidPhoto("the file is not a picture we can read", field=field) from error
    except Image.DecompressionBombError as error:
        raise InvalidPhoto("the picture has too many pixels", field=field) from error


def sized(name: str | None, size: int, *, photos_dir: Path) -> Path | None:
    """The stored picture `name` at most `size` pixels wide/high, made on first request;
    None for no picture, a missing file or a size not offered."""
    if not name or size not in SIZES:
        return None
    original = photos_dir / Path(name).name
    if not original.is_file():
        return None
    variant = photos_dir / f"{original.stem}-{size}.jpg"
    if not variant.is_file():
        with Image.open(original) as picture:
            picture.thumbnail((size, size))
            temporary = variant.with_suffix(f".{secrets.token_hex(4)}.tmp")
            picture.save(temporary, "JPEG", quality=85)
            temporary.replace(variant)  # atomic: concurrent requests never see half a file
    return variant


def remove(name: str, *, photos_dir: Path) -> None:
    """Delete the stored picture and every size made from it."""
    stem = Path(name).stem
    for path in [
        photos_dir / Path(name).name,
        *(photos_dir / f"{stem}-{s}.jpg" for s in SIZES),
    ]:
        path.unlink(missing_ok=True)
