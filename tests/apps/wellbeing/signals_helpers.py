"""Photos for the signals' tests, built byte by byte (no image library is a dependency), and the fixtures the
signal tests share.

``tiny_jpeg`` is a real baseline JPEG (ITU-T T.81): one grey component, a quantisation table of ones, a DC and
an AC Huffman table of one code each, and per 8×8 block the two bits "DC difference 0, end of block" — a flat
mid-grey picture any decoder draws.  ``with_exif`` puts in front of its tables what a phone writes: an EXIF
segment (TIFF, big-endian) with the camera's make and a GPS position, an XMP packet, a comment, and bytes
after the end marker.  ``tiny_png`` is a real PNG (RGB, 8 bits, no filter) with text, EXIF and time chunks.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apps.people.models import Person, Role
from apps.places.models import District

from .conftest import make_person

SECRET_CAMERA = b"SecretCam serial 4711"
SECRET_XMP = b"<x:xmpmeta>GPSLatitude 51,3.02N</x:xmpmeta>"
SECRET_COMMENT = b"taken in front of my house"
SECRET_TRAILER = b"trailing secret"
SECRET_PNG_TEXT = b"Author\x00Rik Test, Korenmarkt 1"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def tiny_jpeg(width: int = 8, height: int = 8) -> bytes:
    blocks = -(-width // 8) * -(-height // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    return b"".join([
        b"\xff\xd8",
        _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _segment(0xDB, b"\x00" + b"\x01" * 64),
        _segment(0xC0, b"\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00"),
        _segment(0xC4, b"\x00" + one_code),
        _segment(0xC4, b"\x10" + one_code),
        _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        scan,
        b"\xff\xd9",
    ])  # fmt: skip


def exif_tiff() -> bytes:
    """A TIFF header with IFD0 (Make, and the pointer to a GPS IFD with latitude 51° 3' N)."""
    make = SECRET_CAMERA + b"\x00"
    # layout: header 8 | IFD0 at 8: 2 entries (2 + 24 + 4 = 30) | GPS IFD at 38: 2 entries (30) | data at 68
    gps_at, data_at = 38, 68
    ifd0 = struct.pack(">H", 2)
    ifd0 += struct.pack(">HHII", 0x010F, 2, len(make), data_at)  # Make, ASCII
    ifd0 += struct.pack(">HHII", 0x8825, 4, 1, gps_at)  # GPSInfo pointer, LONG
    ifd0 += struct.pack(">I", 0)
    rational_at = data_at + len(make)
    gps = struct.pack(">H", 2)
    gps += struct.pack(">HH", 0x0001, 2) + struct.pack(">I", 2) + b"N\x00\x00\x00"  # GPSLatitudeRef "N"
    gps += struct.pack(">HHII", 0x0002, 5, 3, rational_at)  # GPSLatitude, 3 RATIONAL
    gps += struct.pack(">I", 0)
    rationals = struct.pack(">IIIIII", 51, 1, 3, 1, 2, 1)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + ifd0 + gps + make + rationals


def with_exif(jpeg: bytes) -> bytes:
    """The JPEG as a phone writes it: EXIF with GPS, XMP and a comment after the start, data after the end."""
    metadata = (
        _segment(0xE1, b"Exif\x00\x00" + exif_tiff())
        + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + SECRET_XMP)
        + _segment(0xFE, SECRET_COMMENT)
    )
    return jpeg[:2] + metadata + jpeg[2:] + SECRET_TRAILER


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def tiny_png(width: int = 4, height: int = 3, metadata: bool = True) -> bytes:
    rows = b"".join(b"\x00" + bytes((200, 40, 40)) * width for _ in range(height))
    chunks = [
        png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        png_chunk(b"gAMA", b"\x00\x00\xb1\x8f"),
    ]
    if metadata:
        chunks += [
            png_chunk(b"tEXt", SECRET_PNG_TEXT),
            png_chunk(b"eXIf", exif_tiff()),
            png_chunk(b"tIME", b"\x07\xea\x0c\x07\x0c\x00\x00"),
        ]
    chunks += [png_chunk(b"IDAT", zlib.compress(rows)), png_chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + (SECRET_TRAILER if metadata else b"")


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's segments up to its first scan (for asserting what was kept)."""
    markers, position = [], 2
    while position < len(data):
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


@pytest.fixture
def photo_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """The signals' photos go to a folder of the test's own."""
    folder = tmp_path / "signal-photos"
    settings.WELLBEING_SIGNAL_PHOTO_DIR = str(folder)
    yield folder


def city_staff(district: District) -> Person:
    return make_person("Stien", district, Role.CITY_STAFF)
