"""Files other readers (sports-lib, GoldenCheetah, fitparse) read are read here too: each
kind of damage is recovered and said in the cleaning report, and refused only when nothing
usable is left. The files are made here, small, one per kind of damage; the FIT reader is
checked against ``fitdecode`` on them and on the shared FIT files."""

from __future__ import annotations

import io
import re
import struct

import fitdecode
import numpy as np
import pytest
from fit_bytes import START, build, without_crc
from io_synthetic import synthetic_run

from governor.io import CorruptFileError, read_log
from governor.io.fit import VARIABLE_MAP, crc16, read_fit
from governor.io.writers import write_gpx, write_tcx


def _report(activity) -> str:
    return str(activity.attrs["report"])


# -- XML ---------------------------------------------------------------------------------
def test_a_tcx_with_whitespace_before_its_xml_declaration_is_read(tmp_path):
    good = tmp_path / "good.tcx"
    write_tcx(synthetic_run(600), good)
    bad = tmp_path / "indented.tcx"
    bad.write_bytes(b"\n   \t" + good.read_bytes())
    a, b = read_log(good), read_log(bad)
    assert len(b) == len(a) and np.allclose(b["distance_m"], a["distance_m"])
    assert "whitespace before the XML declaration removed" in _report(b)


def test_a_gpx_using_a_namespace_prefix_it_never_declares_is_read(tmp_path):
    good = tmp_path / "good.gpx"
    write_gpx(synthetic_run(600), good)
    text = good.read_text()
    assert "gpxtpx:" in text
    undeclared = re.sub(r'\s+xmlns:gpxtpx="[^"]*"', "", text)
    bad = tmp_path / "undeclared.gpx"
    bad.write_text(undeclared)
    a, b = read_log(good), read_log(bad)
    assert b["heart_rate_bpm"].notna().all()
    np.testing.assert_allclose(b["heart_rate_bpm"], a["heart_rate_bpm"])
    assert "namespace prefix gpxtpx used without a declaration" in _report(b)


def test_xml_damaged_beyond_these_slips_is_still_refused(tmp_path):
    bad = tmp_path / "cut.gpx"
    write_gpx(synthetic_run(600), bad)
    bad.write_bytes(bad.read_bytes()[:-400])
    with pytest.raises(CorruptFileError, match="malformed XML"):
        read_log(bad)


# -- CSV ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name, scale", [("timestamp_epoch", 1000), ("epoch", 1),
                                         ("unix_time", 1_000_000)])
def test_a_csv_whose_time_is_a_unix_epoch_is_read(tmp_path, name, scale):
    t0 = 1714543200
    lines = [f"{name},distance,heart_rate"]
    lines += [f"{(t0 + i) * scale},{3.5 * i:.1f},{140 + i % 5}" for i in range(300)]
    path = tmp_path / "epoch.csv"
    path.write_text("\n".join(lines))
    activity = read_log(path)
    assert str(activity.index[0]) == "2024-05-01 06:00:00+00:00"
    assert len(activity) == 300 and activity["distance_m"].iloc[-1] == pytest.approx(1046.5)


# -- FIT ---------------------------------------------------------------------------------
def _fitdecode_records(data: bytes):
    """The records as fitdecode reads them: (UTC seconds or None, {column: value}), with
    the reader's own choice among fields for the same column."""
    out = []
    order = {name: i for i, name in enumerate(VARIABLE_MAP)}
    for frame in fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED):
        if not isinstance(frame, fitdecode.FitDataMessage) or frame.name != "record":
            continue
        t, row, rank, fractional = None, {}, {}, 0.0
        for f in frame.fields:
            if f.name == "timestamp" and hasattr(f.value, "timestamp"):
                t = f.value.timestamp()
            elif f.name == "fractional_cadence" and isinstance(f.value, int | float):
                fractional = float(f.value)
            elif f.name in VARIABLE_MAP and isinstance(f.value, int | float):
                col, factor = VARIABLE_MAP[f.name]
                if col not in rank or order[f.name] < rank[col]:
                    row[col], rank[col] = float(f.value) * factor, order[f.name]
        if "cadence_spm" in row:
            row["cadence_spm"] += fractional
        out.append((t, row))
    return out


def _assert_same_records(data: bytes, raw):
    want = _fitdecode_records(data)
    assert len(want) == len(raw.frame)
    seconds = raw.frame.index.asi8 / 1e9
    for i, (t, row) in enumerate(want):
        assert t == pytest.approx(seconds[i]), i
        for col, v in row.items():
            assert raw.frame[col].iloc[i] == pytest.approx(v, rel=1e-9, abs=1e-9), (i, col)


@pytest.mark.parametrize("variant", [{}, {"compressed_from": 60}, {"big_endian": True},
                                     {"dev_power": True}])
def test_the_fit_reader_reads_what_fitdecode_reads(tmp_path, variant):
    data = build(**variant)
    raw = read_fit(tmp_path / "x.fit", data)
    _assert_same_records(data, raw)
    assert raw.sport == "running" and raw.device == "garmin fr945" and not raw.partial
    assert [(a.value, b.value) for a, b in raw.pauses] == [
        ((START + 40 + 631065600) * 10**9, (START + 50 + 631065600) * 10**9)]
    if variant.get("dev_power"):
        assert raw.frame["power_w"].notna().all()


@pytest.mark.shared_data
def test_the_fit_reader_reads_the_shared_fit_files_as_fitdecode_does(shared_logs):
    for path in sorted(shared_logs.glob("*.fit")):
        data = path.read_bytes()
        try:
            raw = read_fit(path, data)
        except CorruptFileError:
            continue
        if raw.partial:
            continue
        _assert_same_records(data, raw)


def test_a_fit_recording_never_finalised_is_read_to_its_end(tmp_path):
    path = tmp_path / "unfinished.fit"
    path.write_bytes(without_crc(build()))
    activity = read_log(path)
    assert len(activity) == 120
    assert activity.attrs["report"].partial
    assert "data size is 0 (a recording never finalised)" in _report(activity)


def test_a_fit_file_damaged_part_way_keeps_the_records_before_the_damage(tmp_path):
    data = bytearray(build())
    # the 80th record's header becomes a data message of a local type never defined
    at = [m.start() for m in re.finditer(rb"\x02(?=.{4})", bytes(data))]
    record_headers = [i for i in at if i > 200]
    damaged_at = record_headers[len(record_headers) * 2 // 3]
    data[damaged_at] = 0x0F
    path = tmp_path / "damaged.fit"
    path.write_bytes(bytes(data))
    activity = read_log(path)
    report = _report(activity)
    assert activity.attrs["report"].partial
    assert "damaged at byte" in report and "records before it were kept" in report
    assert 20 < len(activity) < 120


def _record_offsets(data: bytes, n: int) -> list[int]:
    """Where each of ``build(n)``'s record messages begins (header 0x02, then its time)."""
    return [data.index(b"\x02" + struct.pack("<I", START + i)) for i in range(n)]


@pytest.mark.parametrize("fill", [0x00, 0xFF])
def test_unwritten_storage_part_way_is_damage_not_records(tmp_path, fill):
    # 64 bytes lost from inside the 200th record on: zeros decode as valid data messages of
    # local type 0 (all fields 0, time 0) and 0xFF as compressed-time messages, so without
    # recognising the fill they come back as records and sessions that never happened
    n = 300
    data = bytearray(build(n))
    offsets = _record_offsets(bytes(data), n)
    lost = offsets[200] + 7
    data[lost: lost + 64] = bytes([fill]) * 64
    path = tmp_path / "unwritten.fit"
    path.write_bytes(bytes(data))
    activity = read_log(path)
    report = _report(activity)
    assert activity.attrs["report"].partial
    name = "zero" if fill == 0 else "0xFF"
    assert f"damaged at byte {lost} of {len(data)} ({name}-filled bytes)" in report
    # the 200 whole records before the fill are kept, the one it began inside is not
    assert "the 200 records before it were kept" in report
    assert activity.attrs["n_points"] == 200
    assert len(activity.attrs["sessions"]) == 1
    seconds = activity.index.asi8 / 1e9 - (START + 631065600)
    assert seconds.min() >= 0 and seconds.max() <= 199
    assert activity["distance_m"].max() <= 199 * 3.5 + 1e-6


@pytest.mark.parametrize(("new_time", "why"), [
    (5, "record time 5 s is not a date after dated records"),
    (START + 150 - 7200, "record time runs back 7199 s"),
    (START + 150 + 30 * 86400, "record time leaps ahead 30 days"),
])
def test_a_record_time_no_clock_could_give_is_damage(tmp_path, new_time, why):
    n = 300
    data = bytearray(build(n, pause=None))
    at = _record_offsets(bytes(data), n)[150]
    struct.pack_into("<I", data, at + 1, new_time)
    path = tmp_path / "clock.fit"
    path.write_bytes(bytes(data))
    activity = read_log(path)
    report = _report(activity)
    assert f"damaged at byte {at} of {len(data)} ({why})" in report
    assert activity.attrs["n_points"] == 150 and len(activity.attrs["sessions"]) == 1


def test_a_pause_of_hours_between_records_is_not_damage(tmp_path):
    # a watch left paused over lunch: 3 h between two records is a real gap
    n = 120
    data = bytearray(build(n, pause=None))
    offsets = _record_offsets(bytes(data), n)
    for i in range(60, n):
        struct.pack_into("<I", data, offsets[i] + 1, START + i + 3 * 3600)
    data[-2:] = struct.pack("<H", crc16(bytes(data[:-2])))
    path = tmp_path / "lunch.fit"
    path.write_bytes(bytes(data))
    raw = read_fit(path, bytes(data))
    assert not raw.partial and len(raw.frame) == n


def test_a_fit_file_cut_short_keeps_what_it_holds(tmp_path):
    path = tmp_path / "cut.fit"
    path.write_bytes(build()[:-900])
    activity = read_log(path)
    assert activity.attrs["report"].partial and "cut short" in _report(activity)
    assert 30 < len(activity) < 120


def test_a_fit_file_whose_crc_fails_with_its_structure_intact_is_refused(tmp_path):
    data = bytearray(build())
    struct.pack_into("<H", data, len(data) - 2, 0x1234)
    path = tmp_path / "crc.fit"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match="CRC mismatch"):
        read_log(path)


def test_a_fit_file_damaged_before_any_record_is_refused(tmp_path):
    data = bytearray(build())
    data[14] = 0x0F  # the first message: a data message of an undefined type
    path = tmp_path / "early.fit"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match="damaged at byte 14"):
        read_log(path)


def test_chained_fit_files_are_read_as_one(tmp_path):
    path = tmp_path / "chained.fit"
    path.write_bytes(build(60, pause=None) + build(60, pause=None))
    raw = read_fit(path, path.read_bytes())
    assert len(raw.frame) == 120


def test_a_comment_before_the_root_does_not_catch_the_repaired_declaration(tmp_path):
    good = tmp_path / "good.gpx"
    write_gpx(synthetic_run(300), good)
    text = re.sub(r'\s+xmlns:gpxtpx="[^"]*"', "", good.read_text())
    text = text.replace("<gpx", "<!-- made by <tool> version 2 -->\n<gpx", 1)
    bad = tmp_path / "commented.gpx"
    bad.write_text(text)
    activity = read_log(bad)
    assert activity["heart_rate_bpm"].notna().all()
    assert "namespace prefix gpxtpx used without a declaration" in _report(activity)


def test_compressed_timestamps_count_from_messages_the_reader_skips(tmp_path):
    """The reference of a compressed timestamp is the last timestamp of any message: here a
    device_info message, otherwise unread, 100 s after the last record."""
    from fit_bytes import _data, _definition

    body = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84)])
    body += _data(0, "BHH", 4, 1, 3113)
    body += _definition(1, 20, [(253, 4, 0x86), (3, 1, 0x02)])
    body += _definition(2, 23, [(253, 4, 0x86), (0, 1, 0x02)])  # device_info
    body += _definition(3, 20, [(3, 1, 0x02)])
    for i in range(3):
        body += _data(1, "IB", START + i, 150)
    body += _data(2, "IB", START + 100, 0)
    for i in range(101, 104):
        body += _data(3, "B", 150, header=0x80 | (3 << 5) | ((START + i) & 0x1F))
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    from governor.io.fit import crc16

    header += struct.pack("<H", crc16(header))
    data = header + body
    data += struct.pack("<H", crc16(data))
    raw = read_fit(tmp_path / "x.fit", data)
    seconds = (raw.frame.index.asi8 / 1e9 - raw.frame.index.asi8[0] / 1e9).tolist()
    assert seconds == [0, 1, 2, 101, 102, 103]
    _assert_same_records(data, raw)
