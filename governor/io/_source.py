"""Bytes in: size limits, gzip, and recognising the format by content and suffix."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

from .errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    LogError,
    UnsupportedFormatError,
)

#: Largest file accepted, compressed or not [bytes]. A 24-hour 1 Hz TCX is about 90 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Largest decompressed content of a gzipped file [bytes] (guards against gzip bombs).
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

FORMATS = ("gpx", "tcx", "fit", "csv")


def read_bytes(path: Path) -> tuple[bytes, bool]:
    """Read ``path``, decompressing gzip; return ``(content, was_gzipped)``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LogError(path, "file not found") from None
    except OSError as exc:
        raise LogError(path, f"cannot access file ({exc.strerror or exc})") from None
    if path.is_dir():
        raise LogError(path, "is a directory, not a log file")
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(
            path, f"file is {size / 1e6:.0f} MB, limit {MAX_FILE_BYTES / 1e6:.0f} MB"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LogError(path, f"cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise EmptyFileError(path, "file is empty (0 bytes)")
    if data[:2] != b"\x1f\x8b":
        return data, False
    return _gunzip(path, data), True


def _gunzip(path: Path, data: bytes) -> bytes:
    out = bytearray()
    try:
        while data:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            while True:
                chunk = d.decompress(data, 1 << 20)
                out += chunk
                if len(out) > MAX_DECOMPRESSED_BYTES:
                    raise FileTooLargeError(
                        path,
                        "gzip content exceeds the decompressed limit of "
                        f"{MAX_DECOMPRESSED_BYTES / 1e6:.0f} MB (gzip bomb?)",
                    )
                data = d.unconsumed_tail
                if d.eof or not data:
                    break
            if not d.eof:
                raise CorruptFileError(path, "gzip stream is truncated")
            data = d.unused_data  # concatenated gzip members
            if data and data[:2] != b"\x1f\x8b":
                break  # trailing garbage after the stream: ignore, as gzip(1) does
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise CorruptFileError(path, f"damaged gzip data ({exc})") from None
    if not out:
        raise EmptyFileError(path, "gzip content is empty")
    return bytes(out)


def suffix_format(path: Path) -> str | None:
    """The format named by the file suffix (``.gpx``, ``.tcx.gz``, ...), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1].lstrip(".") in FORMATS:
        return suffixes[-1].lstrip(".")
    return None


def _is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def sniff_format(data: bytes) -> str | None:
    """The format recognised from the content, or None."""
    if _is_fit(data):
        return "fit"
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("utf-8", errors="replace").lstrip()
    if text.startswith("<"):
        low = text[:4096].lower()
        if "<trainingcenterdatabase" in low or "<activities" in low:
            return "tcx"
        if "<gpx" in low:
            return "gpx"
        if "<?xml" in low or "<!doctype" in low:
            return "xml"  # XML of unknown kind: the suffix decides
        return None
    if b"\x00" in head:
        return None
    first = text.splitlines()[0] if text else ""
    if any(sep in first for sep in (",", ";", "\t")):
        return "csv"
    return None


def choose_format(path: Path, data: bytes) -> str:
    """Decide the format from content first, then suffix; raise if neither helps."""
    by_content = sniff_format(data)
    by_suffix = suffix_format(path)
    if by_content in ("gpx", "tcx", "fit"):
        return by_content
    if by_content == "xml":
        if by_suffix in ("gpx", "tcx"):
            return by_suffix
        raise UnsupportedFormatError(path, "XML document that is neither GPX nor TCX")
    if by_content == "csv" and by_suffix in (None, "csv"):
        return "csv"
    if by_suffix == "fit":
        raise CorruptFileError(path, "suffix .fit but no valid FIT header ('.FIT' signature)")
    if by_suffix in ("gpx", "tcx"):
        raise CorruptFileError(path, f"suffix .{by_suffix} but the content is not XML")
    if by_suffix == "csv":
        raise CorruptFileError(path, "suffix .csv but the content is not delimited text")
    raise UnsupportedFormatError(
        path,
        "unrecognised content (expected GPX, TCX, FIT or CSV, optionally gzipped); "
        f"suffix {''.join(path.suffixes) or '(none)'}",
    )


def fspath(path: str | os.PathLike) -> Path:
    """``path`` as an absolute :class:`~pathlib.Path`."""
    return Path(os.fspath(path)).expanduser().absolute()
