"""Reading training logs: GPX, TCX, FIT and CSV into one canonical :class:`Activity`.

>>> from governor.io import read_log
>>> run = read_log("morning_run.fit")            # doctest: +SKIP
>>> run.attrs["sport"], run["distance_m"].iloc[-1]  # doctest: +SKIP
"""

from .activity import COLUMNS, Activity, CleaningReport, CleaningStep
from .errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    ImplausibleDataError,
    LogError,
    NoTimestampsError,
    NoTrackDataError,
    UnrecognisedColumnsError,
    UnsafeContentError,
    UnsupportedFormatError,
)
from .read import read_log

__all__ = [
    "read_log",
    "Activity",
    "CleaningReport",
    "CleaningStep",
    "COLUMNS",
    "LogError",
    "UnsupportedFormatError",
    "CorruptFileError",
    "UnsafeContentError",
    "FileTooLargeError",
    "EmptyFileError",
    "NoTrackDataError",
    "NoTimestampsError",
    "UnrecognisedColumnsError",
    "ImplausibleDataError",
]
