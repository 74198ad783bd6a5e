"""FIT reader: records, laps, sessions, device, sport, timer pauses.

The FIT protocol is walked here directly: each definition message becomes one
:class:`struct.Struct`, each data message one ``unpack_from``, and the records' columns are
converted with NumPy at the end, the scales, offsets and names taken from the FIT profile
that ``fitdecode`` ships (:mod:`fitdecode.profile`). The file's CRC is checked with a
compiled loop. That is several times faster than decoding every field of every message
into objects, and reads the same values (the tests compare both on real files).

Damage is recovered where the records before it are sound (noted in the cleaning report,
``partial=True``): a file cut short, a header whose data size is 0 (a recording never
finalised: read to the end of the file, no CRC to check), or a message that cannot be
decoded part-way (the records before it kept). Part-way damage is a message that breaks the
protocol, a run of unwritten storage (zero or 0xFF fill, which would otherwise decode as
valid messages), or a record time no clock could give (falling from a date to
seconds-since-power-on, running back over an hour, leaping ahead two weeks). A CRC
mismatch in a file whose structure decodes throughout is a
:class:`~governor.io.errors.CorruptFileError`: the damage cannot be located, so no value
can be trusted.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pandas as pd
from fitdecode import profile

from governor._jit import jit

from ._common import SEMICIRCLE_TO_DEGREES, RawLog, normalise_sport
from .errors import CorruptFileError, EmptyFileError, NoTimestampsError, NoTrackDataError

#: FIT ``record`` field -> (SI column, factor). Earlier entries win for the same column
#: (``enhanced_*`` before the 16-bit fields; native ``power`` before a developer ``Power``).
#: The profile's scale and offset are applied first (m, m/s, bpm, °C, W).
VARIABLE_MAP: dict[str, tuple[str, float]] = {
    "position_lat": ("latitude", SEMICIRCLE_TO_DEGREES),
    "position_long": ("longitude", SEMICIRCLE_TO_DEGREES),
    "enhanced_altitude": ("elevation_m", 1.0),
    "altitude": ("elevation_m", 1.0),
    "enhanced_speed": ("speed_mps", 1.0),
    "speed": ("speed_mps", 1.0),
    "distance": ("distance_m", 1.0),
    "heart_rate": ("heart_rate_bpm", 1.0),
    "cadence": ("cadence_spm", 1.0),
    "power": ("power_w", 1.0),
    "Power": ("power_w", 1.0),
    "temperature": ("temperature_c", 1.0),
}
_COLUMNS = tuple(dict.fromkeys(col for col, _ in VARIABLE_MAP.values()))
_PAUSE_TYPES = {"stop", "stop_all", "stop_disable", "stop_disable_all"}
_FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
#: Timestamps below this are seconds since the device was switched on, not dates.
_MIN_DATE_TIME = 0x10000000
_TIMESTAMP = profile.FIELD_NUM_TIMESTAMP  # 253
#: The longest gap between two records of one activity file (multi-day ultras last a week).
_MAX_GAP_S = 14 * 86400
#: A message header followed by this many more bytes of one fill value is unwritten storage.
_FILL_RUN = 16
_FILLS = (bytes(_FILL_RUN), b"\xff" * _FILL_RUN)

_FILE_ID, _SPORT, _SESSION, _LAP, _RECORD, _EVENT, _ACTIVITY = 0, 12, 18, 19, 20, 21, 34
_FIELD_DESCRIPTION = profile.MESG_NUM_FIELD_DESCRIPTION  # 206
#: Messages read (others are skipped by their size).
_WANTED = {_FILE_ID, _SPORT, _SESSION, _LAP, _RECORD, _EVENT, _ACTIVITY, _FIELD_DESCRIPTION}
#: Record fields read, by field number, from the profile (name, scale, offset).
_RECORD_FIELDS = {num: f for num, f in profile.MESSAGE_TYPES[_RECORD].fields.items()
                  if f.name in VARIABLE_MAP or f.name in ("timestamp", "fractional_cadence")}

#: Base type id -> (struct code, size, invalid value or None for NaN / zero-invalid).
_BASE = {}
for _id, _bt in profile.BASE_TYPES.items():
    _BASE[_id] = (_bt.fmt, _bt.size, _bt.name)
_INVALID = {
    "enum": 0xFF, "sint8": 0x7F, "uint8": 0xFF, "sint16": 0x7FFF, "uint16": 0xFFFF,
    "sint32": 0x7FFFFFFF, "uint32": 0xFFFFFFFF, "byte": 0xFF, "sint64": 0x7FFFFFFFFFFFFFFF,
    "uint64": 0xFFFFFFFFFFFFFFFF, "uint8z": 0, "uint16z": 0, "uint32z": 0, "uint64z": 0,
}

_CRC_TABLE = np.array([0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                       0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400],
                      dtype=np.uint16)


@jit
def _crc16(data: np.ndarray, table: np.ndarray) -> int:
    """The FIT CRC-16 of ``data`` (uint8): the FIT protocol's nibble-table algorithm."""
    crc = 0
    for i in range(data.size):
        byte = int(data[i])
        tmp = int(table[crc & 0xF])
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ int(table[byte & 0xF])
        tmp = int(table[crc & 0xF])
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ int(table[(byte >> 4) & 0xF])
    return crc


def crc16(data: bytes) -> int:
    """The FIT CRC-16 of ``data``; 0 over a whole file including its stored CRC."""
    return int(_crc16(np.frombuffer(data, dtype=np.uint8), _CRC_TABLE))


class _Damaged(Exception):
    """The byte stream cannot be decoded from here on."""


class _Definition:
    """One definition message: how to unpack its data messages."""

    __slots__ = ("number", "struct", "fields", "size", "stamp")

    def __init__(self, number: int, endian: str, fields: list[tuple[int, int, int, str]]):
        # fields: (field number or ("dev", index, number) key, size, base type id, kind)
        fmt = [endian]
        kept = []
        #: where the timestamp (field 253) sits, to read it from messages otherwise skipped
        self.stamp = None
        offset = 0
        for key, size, base, kind in fields:
            if key == _TIMESTAMP and size == 4 and self.stamp is None:
                self.stamp = (offset, struct.Struct(endian + "I"))
            offset += size
            code, base_size, name = _BASE.get(base, ("B", 1, "byte"))
            if kind == "value" and base_size and size == base_size and name != "string":
                fmt.append(code)
                kept.append((key, name))
            elif kind == "value" and name == "string":
                fmt.append(f"{size}s")
                kept.append((key, name))
            else:
                fmt.append(f"{size}x")  # arrays, unknown sizes: skipped
        self.number = number
        self.struct = struct.Struct("".join(fmt))
        self.fields = kept
        self.size = self.struct.size


def _value(raw, base_name: str):
    """A raw field value, None where the FIT protocol marks it invalid."""
    if base_name == "string":
        text = raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace")
        return text or None
    if base_name in ("float32", "float64"):
        return None if math.isnan(raw) or math.isinf(raw) else raw
    return None if raw == _INVALID.get(base_name) else raw


def _walk(data: bytes, start: int, end: int, sink: dict, state: dict) -> int:
    """Decode the messages in ``data[start:end]`` into ``sink`` (global number -> list of
    (timestamp, values)); raise :class:`_Damaged` (with the byte offset) where they stop
    making sense. Returns the offset reached."""
    defs: dict[int, _Definition] = state["defs"]
    dev_names: dict[tuple[int, int], tuple[str, int, float, float]] = state["dev"]
    pos = start
    last_time = state["last_time"]
    records = sink.setdefault(_RECORD, [])
    last_record = state["last_record"]
    # the list the last message went to, and the byte after it
    last_kept: tuple[list, int] | None = None
    while pos < end:
        header = data[pos]
        if header in (0x00, 0xFF) and data[pos: pos + _FILL_RUN] in _FILLS:
            # a sector that was never written (erased to 0xFF or zero-filled): the message
            # it began inside is lost with it
            fill = data[pos]
            first = pos
            while first > start and data[first - 1] == fill:
                first -= 1
            if last_kept is not None and first < last_kept[1]:
                last_kept[0].pop()
            raise _Damaged(first, f"{'zero' if fill == 0 else '0xFF'}-filled bytes")
        pos += 1
        if header & 0x80:  # compressed timestamp header
            local = (header >> 5) & 0x3
            offset = header & 0x1F
            if last_time is None:
                raise _Damaged(pos - 1, "compressed timestamp before any timestamp")
            base = last_time & ~0x1F
            last_time = base + offset + (0x20 if offset < (last_time & 0x1F) else 0)
            timestamp = last_time
            definition = defs.get(local)
            if definition is None:
                raise _Damaged(pos - 1, f"data message of undefined local type {local}")
        elif header & 0x10:  # bit 4 of a normal header is reserved (0)
            raise _Damaged(pos - 1, f"invalid record header 0x{header:02X}")
        elif header & 0x40:  # definition message
            local = header & 0x0F
            if pos + 5 > end:
                raise _Damaged(pos - 1, "definition message cut short")
            if data[pos + 1] > 1:
                raise _Damaged(pos + 1, f"definition message of architecture {data[pos + 1]}")
            endian = ">" if data[pos + 1] == 1 else "<"
            number = struct.unpack_from(endian + "H", data, pos + 2)[0]
            n_fields = data[pos + 4]
            pos += 5
            if pos + 3 * n_fields > end:
                raise _Damaged(pos, "field definitions cut short")
            fields = []
            for i in range(n_fields):
                num, size, base = data[pos + 3 * i: pos + 3 * i + 3]
                if size == 0:
                    raise _Damaged(pos + 3 * i, "field of size 0")
                fields.append((num, size, base, "value"))
            pos += 3 * n_fields
            if header & 0x20:  # developer fields
                if pos + 1 > end:
                    raise _Damaged(pos, "developer field count cut short")
                n_dev = data[pos]
                pos += 1
                if pos + 3 * n_dev > end:
                    raise _Damaged(pos, "developer field definitions cut short")
                for i in range(n_dev):
                    num, size, index = data[pos + 3 * i: pos + 3 * i + 3]
                    described = dev_names.get((index, num))
                    if described is not None and described[0] in VARIABLE_MAP:
                        fields.append((("dev", described[0]), size, described[1], "value"))
                    else:
                        fields.append((None, size, 0x0D, "skip"))
                pos += 3 * n_dev
            defs[local] = _Definition(number, endian, fields)
            continue
        else:
            local = header & 0x0F
            definition = defs.get(local)
            if definition is None:
                raise _Damaged(pos - 1, f"data message of undefined local type {local}")
            timestamp = None
        if pos + definition.size > end:
            raise _Damaged(pos - 1, "data message cut short")
        if definition.number not in _WANTED:
            # skipped, but its timestamp is the reference of compressed timestamps
            if definition.stamp is not None:
                stamp = definition.stamp[1].unpack_from(data, pos + definition.stamp[0])[0]
                if stamp != 0xFFFFFFFF:
                    last_time = stamp
            pos += definition.size
            continue
        raw = definition.struct.unpack_from(data, pos)
        pos += definition.size
        values = {}
        for (key, base_name), r in zip(definition.fields, raw, strict=True):
            v = _value(r, base_name)
            if v is not None:
                values[key] = v
        stamp = values.get(_TIMESTAMP)
        if stamp is not None:
            last_time = stamp
            timestamp = stamp
        if definition.number == _RECORD:
            if timestamp is not None:
                if last_record is not None:
                    why = _implausible_step(last_record, timestamp)
                    if why:
                        raise _Damaged(pos - definition.size - 1, why)
                last_record = timestamp
            records.append((timestamp, values))
            last_kept = (records, pos)
        else:
            messages = sink.setdefault(definition.number, [])
            messages.append((timestamp, values))
            last_kept = (messages, pos)
            if definition.number == _FIELD_DESCRIPTION:
                name = values.get(3)
                if name is not None and 0 in values and 1 in values:
                    dev_names[(values[0], values[1])] = (
                        name, values.get(2, 0x0D), float(values.get(6, 1) or 1),
                        float(values.get(7, 0)))
    state["last_time"] = last_time
    state["last_record"] = last_record
    return pos


def _implausible_step(before: int, after: int) -> str | None:
    """Why a record's timestamp ``after`` (FIT seconds) cannot follow ``before``, or None.

    A clock that falls from a date to seconds-since-power-on, runs back more than an hour,
    or leaps ahead more than :data:`_MAX_GAP_S` between two records of one activity is
    reading bytes that are not timestamps."""
    if before >= _MIN_DATE_TIME > after:
        return f"record time {after} s is not a date after dated records"
    if after < before - 3600:
        return f"record time runs back {before - after} s"
    if after > before + _MAX_GAP_S:
        return f"record time leaps ahead {(after - before) / 86400:.0f} days"
    return None


def _dev_scales(state: dict) -> dict[str, tuple[float, float]]:
    return {name: (scale, offset) for name, _, scale, offset in state["dev"].values()}


def decode(path: Path, data: bytes) -> tuple[dict, list[str], bool]:
    """Walk the FIT file(s) in ``data`` (chained files included): the messages read by
    global number, the notes on any damage recovered, and whether the file is partial."""
    sink: dict = {}
    notes: list[str] = []
    partial = False
    state = {"defs": {}, "dev": {}, "last_time": None, "last_record": None}
    pos = 0
    n = len(data)
    first = True
    while pos < n:
        if n - pos < 12 or data[pos] not in (12, 14) or data[pos + 8: pos + 12] != b".FIT":
            if first:
                raise CorruptFileError(path, "invalid FIT header (no '.FIT' signature)")
            notes.append(f"{n - pos} bytes after the last FIT file ignored")
            break
        first = False
        header_size = data[pos]
        data_size = struct.unpack_from("<I", data, pos + 4)[0]
        start = pos + header_size
        end = start + data_size
        check_crc = True
        if data_size == 0:
            notes.append("FIT header's data size is 0 (a recording never finalised): read to "
                         "the end of the file, no CRC to check")
            end = n
            check_crc = False
            partial = True
        elif end + 2 > n:
            notes.append(f"FIT file is cut short: it holds {n - start} of the {data_size + 2} "
                         "bytes its header states; no CRC to check")
            end = n
            check_crc = False
            partial = True
        state["defs"] = {}
        try:
            reached = _walk(data, start, end, sink, state)
        except _Damaged as exc:
            at, why = exc.args
            kept = len(sink.get(_RECORD, []))
            if not kept:
                raise CorruptFileError(path, f"FIT data damaged at byte {at}: {why}") from None
            notes.append(f"FIT data damaged at byte {at} of {n} ({why}): the {kept} records "
                         "before it were kept")
            sink["dev"] = _dev_scales(state)
            return sink, notes, True
        if check_crc:
            if crc16(data[pos:end + 2]) != 0:
                raise CorruptFileError(path, "FIT CRC mismatch: the file is damaged")
            pos = end + 2
        else:
            pos = reached
    sink["dev"] = _dev_scales(state)
    return sink, notes, partial


def _profile_name(type_name: str, raw) -> str | None:
    """The profile's name for an enum value (``sport`` 1 -> ``"running"``)."""
    if raw is None:
        return None
    enum = profile.FIELD_TYPES[type_name].enum or {}
    return enum.get(raw, str(raw))


def _stamp(seconds) -> pd.Timestamp | None:
    if seconds is None or seconds < _MIN_DATE_TIME:
        return None
    return pd.Timestamp((seconds + _FIT_EPOCH_S) * 1_000_000_000, tz="UTC")


def _records_frame(records: list, dev_scales: dict) -> tuple[pd.DatetimeIndex, pd.DataFrame]:
    """The records' columns in SI units, with the profile's scales and offsets."""
    n = len(records)
    stamps = np.array([np.nan if t is None or t < _MIN_DATE_TIME else t
                       for t, _ in records], dtype=float)
    index = pd.DatetimeIndex(
        pd.to_datetime((stamps + _FIT_EPOCH_S) * 1e9, unit="ns", utc=True), name="timestamp"
    ).as_unit("ns")
    columns = {c: np.full(n, np.nan) for c in _COLUMNS}
    filled = {c: np.zeros(n, dtype=bool) for c in _COLUMNS}
    # earlier names in VARIABLE_MAP win for the same column
    by_name = {f.name: (num, f) for num, f in _RECORD_FIELDS.items()}
    for name in VARIABLE_MAP:
        col, factor = VARIABLE_MAP[name]
        if name in by_name:
            num, f = by_name[name]
            key = num
            scale, offset = f.scale or 1.0, f.offset or 0.0
        else:
            key = ("dev", name)
            scale, offset = dev_scales.get(name, (1.0, 0.0))
        raw = np.array([v.get(key, np.nan) for _, v in records], dtype=float)
        value = (raw / scale - offset) * factor
        take = ~filled[col] & np.isfinite(value)
        columns[col][take] = value[take]
        filled[col] |= take
    frac = _RECORD_FIELDS.get(53)
    if frac is not None:
        raw = np.array([v.get(53, np.nan) for _, v in records], dtype=float) / frac.scale
        cad = columns["cadence_spm"]
        ok = np.isfinite(cad) & np.isfinite(raw)
        cad[ok] += raw[ok]
    return index, pd.DataFrame(columns, index=index)


def read_fit(path: Path, data: bytes) -> RawLog:
    """Read FIT content ``data`` (from ``path``) into a :class:`RawLog`."""
    sink, notes, partial = decode(path, data)
    dev_scales = sink.pop("dev", {})
    if not any(sink.values()):
        raise EmptyFileError(path, "FIT file holds no messages")
    records = sink.get(_RECORD, [])
    if not records:
        raise NoTrackDataError(path, "FIT file has no record messages (not an activity?)")
    if all(t is None or t < _MIN_DATE_TIME for t, _ in records):
        raise NoTimestampsError(path, "FIT records carry no timestamps")
    index, frame = _records_frame(records, dev_scales)

    pauses: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    pause_start = None
    for stamp, v in sink.get(_EVENT, []):
        if _profile_name("event", v.get(0)) != "timer":
            continue
        etype = _profile_name("event_type", v.get(1))
        t = _stamp(stamp)
        if t is None:
            continue
        if etype in _PAUSE_TYPES and pause_start is None:
            pause_start = t
        elif etype == "start" and pause_start is not None:
            if t > pause_start:
                pauses.append((pause_start, t))
            pause_start = None

    lap_fields = profile.MESSAGE_TYPES[_LAP].fields
    laps = []
    for _, v in sink.get(_LAP, []):
        def scaled(num, v=v):
            x = v.get(num)
            return np.nan if x is None else x / (lap_fields[num].scale or 1.0)
        laps.append({"start": _stamp(v.get(2)), "elapsed_s": scaled(7), "timer_s": scaled(8),
                     "distance_m": scaled(9)})

    sport = sub_sport = None
    for number, sport_field, sub_field in ((_SPORT, 0, 1), (_SESSION, 5, 6)):
        for _, v in sink.get(number, []):
            s = _profile_name("sport", v.get(sport_field))
            ss = _profile_name("sub_sport", v.get(sub_field))
            if s is not None and (sport is None or number == _SESSION):
                sport = s
            if ss is not None and (sub_sport is None or number == _SESSION):
                sub_sport = ss

    device = None
    for _, v in sink.get(_FILE_ID, []):
        manufacturer = _profile_name("manufacturer", v.get(1))
        product = v.get(2)
        if product is not None and v.get(1) in (1, 13, 15, 89):  # garmin_product subfield
            product = _profile_name("garmin_product", product)
        parts = [str(p) for p in (manufacturer, product) if p is not None]
        device = " ".join(parts) or None
        break

    timezone = None
    for stamp, v in sink.get(_ACTIVITY, []):
        local, utc = v.get(5), _stamp(stamp)
        if local is not None and utc is not None:
            offset_s = (local + _FIT_EPOCH_S) - utc.timestamp()
            if abs(offset_s) <= 14 * 3600:
                minutes = int(round(offset_s / 900.0)) * 15
                sign = "+" if minutes >= 0 else "-"
                timezone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    return RawLog(
        frame=frame.astype(float),
        format="fit",
        device=device,
        sport=normalise_sport(sport),
        sub_sport=None if sub_sport in (None, "generic") else str(sub_sport),
        laps=laps,
        timezone=timezone,
        pauses=pauses,
        notes=notes,
        partial=partial,
        cadence_unit="cycles",
        n_points=len(records),
    )
