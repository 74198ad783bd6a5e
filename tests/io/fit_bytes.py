"""Small FIT files built byte by byte for the reader's tests (FIT protocol 2.0)."""

from __future__ import annotations

import struct

from governor.io.fit import crc16

FIT_EPOCH_S = 631065600
#: 2024-05-01T06:00:00Z in FIT seconds
START = 1714543200 - FIT_EPOCH_S


def _definition(local: int, number: int, fields, *, big=False, dev=()):
    header = 0x40 | local | (0x20 if dev else 0)
    endian = ">" if big else "<"
    out = bytes([header, 0, 1 if big else 0]) + struct.pack(endian + "H", number)
    out += bytes([len(fields)]) + b"".join(bytes(f) for f in fields)
    if dev:
        out += bytes([len(dev)]) + b"".join(bytes(f) for f in dev)
    return out


def _data(local: int, fmt: str, *values, big=False, header=None):
    return bytes([local if header is None else header]) + struct.pack(
        (">" if big else "<") + fmt, *values)


def build(n: int = 120, *, data_size: int | None = None, compressed_from: int | None = None,
          big_endian: bool = False, dev_power: bool = False, pause=(40, 50)) -> bytes:
    """A 1 Hz run of ``n`` records at 3.5 m/s with heart rate, a timer pause, a lap and a
    session (running). ``data_size`` overrides the header's; records from
    ``compressed_from`` on use compressed timestamp headers; ``dev_power`` adds a
    developer field named "Power" (as Stryd writes it)."""
    body = b""
    # file_id: type(0) enum, manufacturer(1) uint16, product(2) uint16, time_created(4)
    body += _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)])
    body += _data(0, "BHHI", 4, 1, 3113, START)
    if dev_power:
        # developer_data_id(207): developer_data_index(3) uint8
        body += _definition(1, 207, [(3, 1, 0x02)])
        body += _data(1, "B", 0)
        # field_description(206): dev index(0), field num(1), base type(2), name(3)
        body += _definition(1, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 16, 0x07)])
        body += _data(1, "BBB16s", 0, 7, 0x84, b"Power")
    # record: timestamp(253) uint32, lat(0) sint32, long(1) sint32, distance(5) uint32
    # (x100), speed(6) uint16 (x1000), heart_rate(3) uint8
    dev = [(7, 2, 0)] if dev_power else ()
    fields = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (6, 2, 0x84),
              (3, 1, 0x02)]
    body += _definition(2, 20, fields, big=big_endian, dev=dev)
    compressed_fields = fields[1:]
    if compressed_from is not None:
        body += _definition(3, 20, compressed_fields, big=big_endian, dev=dev)
    # event: timestamp(253), event(0) enum, event_type(1) enum
    body += _definition(4, 21, [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)])
    semis = 2**31 / 180.0
    for i in range(n):
        t = START + i
        lat = int(round((45.0 + i * 3.5 / 111_000.0) * semis))
        lon = int(round(7.0 * semis))
        dist = int(round(i * 350))
        extra = (250 + i % 7,) if dev_power else ()
        fmt = "iiIHB" + ("H" if dev_power else "")
        if compressed_from is not None and i >= compressed_from:
            body += _data(3, fmt, lat, lon, dist, 3500, 140 + i % 10, *extra, big=big_endian,
                          header=0x80 | (3 << 5) | (t & 0x1F))
        else:
            body += _data(2, "I" + fmt, t, lat, lon, dist, 3500, 140 + i % 10, *extra,
                          big=big_endian)
        if pause is not None and i == pause[0]:
            body += _data(4, "IBB", t, 0, 4)  # timer stop_all
        if pause is not None and i == pause[1]:
            body += _data(4, "IBB", t, 0, 0)  # timer start
    # lap: timestamp, start_time(2), total_elapsed_time(7) x1000, total_distance(9) x100
    body += _definition(5, 19, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86)])
    body += _data(5, "IIII", START + n, START, n * 1000, n * 350)
    # session: timestamp, sport(5) enum running=1, sub_sport(6) enum generic=0
    body += _definition(6, 18, [(253, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00)])
    body += _data(6, "IBB", START + n, 1, 0)
    size = len(body) if data_size is None else data_size
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, size, b".FIT")
    header += struct.pack("<H", crc16(header))
    out = header + body
    return out + struct.pack("<H", crc16(out))


def without_crc(data: bytes) -> bytes:
    """The file as a recording never finalised: data size 0 in the header, no CRC."""
    header = bytearray(data[:14])
    struct.pack_into("<I", header, 4, 0)
    struct.pack_into("<H", header, 12, 0)
    return bytes(header) + data[14:-2]
