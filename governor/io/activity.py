"""The canonical ``Activity`` table and its cleaning report.

An :class:`Activity` is a :class:`pandas.DataFrame` indexed by UTC timestamp with the SI
columns of :data:`COLUMNS` (absent data are NaN, a column is never missing) and a boolean
``moving`` column. Metadata live in ``.attrs``:

========== ===============================================================================
key        meaning
========== ===============================================================================
source_file  absolute path of the file read [str]
format       ``"gpx"``, ``"tcx"``, ``"fit"`` or ``"csv"`` (``"+gzip"`` appended if gzipped)
device       the recording device or creator program, or None
sport        normalised sport: ``"running"``, ``"cycling"``, ``"walking"``, ``"hiking"``,
             ``"swimming"``, another lower-case name, or None when the file does not say
sub_sport    e.g. ``"trail"``, ``"treadmill"``, or None
laps         list of dicts ``{"start": Timestamp, "elapsed_s": float, "distance_m": float}``
timezone     the local time zone or UTC offset of the recording when known, else None
sessions     list of ``(start, end)`` timestamps of the sessions split on long gaps
report       the :class:`CleaningReport`
========== ===============================================================================

The raw (uncleaned) table is ``read_log(path, clean=False)``: same columns, the rows as
recorded (not resampled), and a report listing only what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Activity", "CleaningReport", "CleaningStep", "COLUMNS", "empty_frame"]

#: The canonical SI columns, in order. ``moving`` (bool) follows them.
COLUMNS: tuple[str, ...] = (
    "elapsed_s",
    "distance_m",
    "speed_mps",
    "latitude",
    "longitude",
    "elevation_m",
    "grade",
    "heart_rate_bpm",
    "cadence_spm",
    "power_w",
    "temperature_c",
)


class Activity(pd.DataFrame):
    """A recorded activity: a DataFrame indexed by UTC timestamp with SI columns.

    Columns: ``elapsed_s`` [s] since the first record, ``distance_m`` [m] cumulative,
    ``speed_mps`` [m/s], ``latitude`` and ``longitude`` [degrees, WGS84], ``elevation_m``
    [m], ``grade`` [rise/run, dimensionless], ``heart_rate_bpm`` [1/min], ``cadence_spm``
    [steps/min for foot sports, crank revolutions/min for cycling], ``power_w`` [W],
    ``temperature_c`` [°C], and ``moving`` [bool], false in pauses.

    Metadata are in ``.attrs`` (see :mod:`governor.io.activity`). Operations that return a
    DataFrame of the same shape return an ``Activity`` and keep ``.attrs``.
    """

    _metadata: list[str] = []

    @property
    def _constructor(self):
        return Activity

    @property
    def report(self) -> CleaningReport | None:
        """The cleaning report (``attrs["report"]``)."""
        return self.attrs.get("report")


@dataclass
class CleaningStep:
    """One step of cleaning.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"gps_jumps"``.
    count : int
        How many records (or seconds, or sessions; see ``detail``) it affected.
    detail : str
        One sentence saying what was done.
    """

    name: str
    count: int
    detail: str

    def __str__(self) -> str:
        return f"{self.name:<20} {self.count:>7}  {self.detail}"


@dataclass
class CleaningReport:
    """What reading and cleaning did to a log.

    Attributes
    ----------
    steps : list of CleaningStep
        In the order applied.
    partial : bool
        True when only part of the file could be read (e.g. a FIT file cut short); the
        reason is in ``notes``.
    notes : list of str
        Warnings and assumptions (units inferred, file truncated, ...).
    """

    steps: list[CleaningStep] = field(default_factory=list)
    partial: bool = False
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, count: int, detail: str) -> None:
        """Append a step."""
        self.steps.append(CleaningStep(name, int(count), detail))

    def note(self, text: str) -> None:
        """Append a note (an assumption or warning)."""
        self.notes.append(text)

    def step(self, name: str) -> CleaningStep | None:
        """The step called ``name``, or None."""
        for s in self.steps:
            if s.name == name:
                return s
        return None

    def __getitem__(self, name: str) -> CleaningStep:
        s = self.step(name)
        if s is None:
            raise KeyError(name)
        return s

    def to_records(self) -> list[dict]:
        """The steps as a list of dicts (for tables and JSON)."""
        return [{"name": s.name, "count": s.count, "detail": s.detail} for s in self.steps]

    def __str__(self) -> str:
        lines = ["Cleaning report" + (" (PARTIAL FILE)" if self.partial else "")]
        lines += ["  " + str(s) for s in self.steps]
        lines += ["  note: " + n for n in self.notes]
        return "\n".join(lines)


def empty_frame(index: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """A frame with every canonical column, all NaN, on ``index``."""
    if index is None:
        index = pd.DatetimeIndex([], tz="UTC", name="timestamp")
    data = {c: np.full(len(index), np.nan) for c in COLUMNS}
    return pd.DataFrame(data, index=index)
