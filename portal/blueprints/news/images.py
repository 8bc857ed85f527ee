"""News' main image: the shared picture handling (``portal/services/images.py``)."""

from portal.services.images import MAX_BYTES, WIDTHS, ImageRefused, Sizes, make_sizes

__all__ = ["MAX_BYTES", "WIDTHS", "ImageRefused", "Sizes", "make_sizes"]
