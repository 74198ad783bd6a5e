"""Bad input: only LogError comes out, quickly — hostile XML, bombs, fuzzed fixtures."""

from __future__ import annotations

import gzip
import tempfile
import time
from pathlib import Path

import pytest
from conftest import SHARED_LOGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_synthetic import synthetic_run

import governor.io._source as source
from governor.io import (
    EmptyFileError,
    FileTooLargeError,
    LogError,
    UnsafeContentError,
    UnsupportedFormatError,
    read_log,
    write_csv,
    write_gpx,
    write_tcx,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol9;</name>
<trkseg><trkpt lat="45" lon="7"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="&xxe;"><Id>2024-01-01T00:00:00Z</Id></Activity></Activities>
</TrainingCenterDatabase>
"""

XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://example.invalid/evil.dtd">
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"></gpx>
"""


@pytest.mark.parametrize(
    ("payload", "name"),
    [(BILLION_LAUGHS, "lol.gpx"), (XXE, "xxe.tcx"), (XXE_NETWORK, "dtd.gpx"),
     (gzip.compress(BILLION_LAUGHS), "lol.gpx.gz")],
)
def test_hostile_xml_rejected_quickly(tmp_path, payload, name):
    path = tmp_path / name
    path.write_bytes(payload)
    start = time.perf_counter()
    with pytest.raises(UnsafeContentError, match=name):
        read_log(path)
    assert time.perf_counter() - start < 1.0


def test_gzip_bomb_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_DECOMPRESSED_BYTES", 1_000_000)
    path = tmp_path / "bomb.gpx.gz"
    path.write_bytes(gzip.compress(b"<gpx>" + b" " * 20_000_000, compresslevel=9))
    with pytest.raises(FileTooLargeError, match="gzip bomb"):
        read_log(path)


def test_file_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("time,hr\n" + "2024-01-01T00:00:00Z,100\n" * 10)
    with pytest.raises(FileTooLargeError, match="big.csv"):
        read_log(path)


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [(b"", "empty.gpx", EmptyFileError), (b"\x00\x01\x02garbage", "x.bin", UnsupportedFormatError),
     (b"hello", "x.fit", LogError), (b"<html><body/></html>", "x.xml", UnsupportedFormatError),
     (b"\x1f\x8b\x08\x00junk", "x.gpx.gz", LogError)],
)
def test_simple_bad_files(tmp_path, content, name, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=name.replace(".", r"\.")):
        read_log(path)


def test_directory_is_logerror(tmp_path):
    with pytest.raises(LogError, match="directory"):
        read_log(tmp_path)


# --- fuzzing ------------------------------------------------------------------------------

def _fixtures() -> dict[str, bytes]:
    """Small fixtures: synthetic GPX/TCX/CSV always; real FIT/GPX/TCX/CSV when present."""
    out = {}
    run = synthetic_run(120, 3.0)
    with tempfile.TemporaryDirectory() as d:
        for writer, ext in ((write_gpx, "gpx"), (write_tcx, "tcx"), (write_csv, "csv")):
            p = Path(d) / f"synthetic.{ext}"
            writer(run, p)
            out[p.name] = p.read_bytes()
    for name in ("sportslib__suunto9-intervals-5x850m-no-hr.fit",
                 "fitparse__activity-unexpected-eof.fit", "fitparse__fenix5-run-records.csv",
                 "gpxpy__cerknicko-without-times.gpx"):
        p = SHARED_LOGS / name
        if p.is_file():
            out[name] = p.read_bytes()
    return out


FIXTURES = _fixtures()
NAMES = sorted(FIXTURES)
FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def _only_logerror(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(content)
        start = time.perf_counter()
        try:
            activity = read_log(path)
        except LogError as exc:
            assert str(path) in str(exc)
        else:
            assert len(activity) > 0
        assert time.perf_counter() - start < 5.0


@FUZZ
@given(name=st.sampled_from(NAMES), fraction=st.floats(0.0, 1.0))
def test_truncated(name, fraction):
    data = FIXTURES[name]
    _only_logerror(name, data[: int(len(data) * fraction)])


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.data())
def test_flipped_bytes(name, data):
    content = bytearray(FIXTURES[name])
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(1, 255)),
                               min_size=1, max_size=8))
    for position, mask in flips:
        content[position] ^= mask
    _only_logerror(name, bytes(content))


@FUZZ
@given(name=st.sampled_from(NAMES), garbage=st.binary(min_size=1, max_size=64))
def test_garbage_prepended(name, garbage):
    _only_logerror(name, garbage + FIXTURES[name])
