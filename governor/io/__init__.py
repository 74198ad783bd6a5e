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
    NotAnActivityError,
    NoTimestampsError,
    NoTrackDataError,
    UnrecognisedColumnsError,
    UnsafeContentError,
    UnsupportedFormatError,
)
from .info import describe
from .metrics import grade_adjusted_speed, mean_maximal_speed, moving_time_s
from .read import read_log
from .writers import write_csv, write_gpx, write_tcx

__all__ = [
    "read_log",
    "describe",
    "grade_adjusted_speed",
    "moving_time_s",
    "mean_maximal_speed",
    "write_gpx",
    "write_tcx",
    "write_csv",
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
    "NotAnActivityError",
    "ImplausibleDataError",
]
