"""The ``LogError`` hierarchy: every failure of :func:`governor.io.read_log`.

Each error names the file and the reason in its message, and keeps both as attributes
(``path``, ``reason``) so that batch tools can tabulate them.
"""

from __future__ import annotations

import os

__all__ = [
    "LogError",
    "UnsupportedFormatError",
    "CorruptFileError",
    "UnsafeContentError",
    "FileTooLargeError",
    "EmptyFileError",
    "NoTrackDataError",
    "NoTimestampsError",
    "UnrecognisedColumnsError",
    "NotAnActivityError",
    "ImplausibleDataError",
]


class LogError(Exception):
    """A training log could not be read.

    Parameters
    ----------
    path : str or os.PathLike or None
        The file that failed.
    reason : str
        What is wrong with it, in words a runner can act on.
    """

    def __init__(self, path: str | os.PathLike | None, reason: str) -> None:
        self.path = None if path is None else os.fspath(path)
        self.reason = reason
        where = self.path if self.path is not None else "<log>"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # keep the two-argument constructor picklable (batch workers)
        return (type(self), (self.path, self.reason))


class UnsupportedFormatError(LogError):
    """The content is none of GPX, TCX, FIT or CSV (or a gzip of one)."""


class CorruptFileError(LogError):
    """The file is of a known format but damaged (bad XML, bad FIT CRC, bad gzip ...)."""


class UnsafeContentError(CorruptFileError):
    """The XML declares a DTD or entities (billion laughs, external entities): refused."""


class FileTooLargeError(LogError):
    """The file, or its decompressed content, exceeds the size limit."""


class EmptyFileError(LogError):
    """The file has no bytes, or no records at all."""


class NoTrackDataError(LogError):
    """The file is well formed but holds no track points."""


class NoTimestampsError(LogError):
    """The track points carry no (or too few) timestamps to make a time series."""


class UnrecognisedColumnsError(LogError):
    """A CSV whose columns cannot be mapped to time and activity data."""


class NotAnActivityError(UnrecognisedColumnsError):
    """A CSV none of whose columns is an activity quantity (a manifest, a results table):
    not a log at all. Batch fitting skips such files instead of calling them unreadable."""


class ImplausibleDataError(LogError):
    """The data read is not a plausible activity (e.g. spans years)."""
