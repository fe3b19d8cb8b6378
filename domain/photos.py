"""A photo someone uploads, checked and rewritten without its metadata: plain Python, no image library.

Only two formats are taken, the ones every phone and browser writes: JPEG and PNG.  A file is judged by its
bytes, never by its name or the type the browser claims, and it must be whole: a JPEG is read segment by
segment from its start marker to its end marker (every scan included), a PNG chunk by chunk with every
chunk's checksum.  Anything else ("a text file called photo.jpg", half a download, a GIF, HEIC) is refused
with the reason.

What is kept is exactly what drawing the picture needs; everything else is dropped, so a photo never carries
where or when it was taken, the camera's serial number, a thumbnail of the uncropped picture or a comment:

- JPEG: the image data and its tables (quantisation, Huffman, frame, scans, restart interval), the JFIF
  header without its thumbnail, the Adobe marker (it says how the colours are stored) and the colour profile
  (ICC); every other application segment (EXIF with its GPS position, XMP, IPTC/Photoshop, maker notes, a JFXX
  thumbnail), the JPEG extension segments (JPG0-13) and every comment go, and so do bytes after the end marker.
  More than ``MAX_SEGMENTS`` markers (PNG: ``MAX_PNG_CHUNKS`` chunks) is refused before it costs seconds.
- PNG: the critical chunks (IHDR, PLTE, IDAT, IEND) and the ancillary chunks about colour and transparency
  (tRNS, gAMA, cHRM, sRGB, iCCP, sBIT, bKGD, pHYs); text (tEXt, zTXt, iTXt), EXIF (eXIf), the time (tIME),
  animation and any private chunk go, as do bytes after IEND.

The pixels are not decoded, so nothing here can be made to allocate a huge picture; the width and height
from the header are checked against a limit all the same, since whoever looks at the photo later decodes it.
A JPEG's EXIF orientation goes with the rest: a photo taken with the phone turned may show turned.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from enum import Enum

JPEG_START = b"\xff\xd8"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MAX_SIDE = 12_000
"""The largest width or height taken, in pixels (a 100-megapixel camera is about 12,000 wide)."""
MAX_PIXELS = 50_000_000
"""About 8,700 × 5,800: more than a phone's photo of a place needs, and what a staff member's browser decodes
(a 93 KB PNG may declare 12,000 × 8,000 pixels, 384 MB to draw)."""


class Problem(Enum):
    """Why a file is not taken as a photo."""

    EMPTY = "empty"
    NOT_AN_IMAGE = "not_an_image"  # neither JPEG nor PNG by its first bytes
    DAMAGED = "damaged"  # starts like one but is not whole or not well formed
    TOO_LARGE_PICTURE = "too_large_picture"  # width or height beyond the limits


class PhotoError(ValueError):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Photo:
    """A photo without metadata: ``data`` is the whole new file."""

    kind: str  # "jpeg" or "png"
    width: int
    height: int
    data: bytes

    @property
    def extension(self) -> str:
        return "jpg" if self.kind == "jpeg" else "png"

    @property
    def content_type(self) -> str:
        return f"image/{self.kind}"


def clean(data: bytes, *, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS) -> Photo:
    """The photo rewritten without its metadata; ``PhotoError`` says why a file is not taken."""
    if not data:
        raise PhotoError(Problem.EMPTY)
    if data.startswith(JPEG_START):
        photo = _clean_jpeg(data)
    elif data.startswith(PNG_SIGNATURE):
        photo = _clean_png(data)
    else:
        raise PhotoError(Problem.NOT_AN_IMAGE)
    if not (0 < photo.width <= max_side and 0 < photo.height <= max_side) or photo.width * photo.height > max_pixels:
        raise PhotoError(Problem.TOO_LARGE_PICTURE, f"{photo.width}×{photo.height}")
    return photo


# --- JPEG (ITU-T T.81, annex B) --------------------------------------------------------------------------

SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
TABLE_MARKERS = frozenset({0xC4, 0xCC, 0xDB, 0xDD, 0xDC})  # DHT, DAC, DQT, DRI, DNL
STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length
SOS, EOI, APP0, APP2, APP14, COM = 0xDA, 0xD9, 0xE0, 0xE2, 0xEE, 0xFE


JFIF_HEAD = 12
"""``JFIF\\0``, version (2 bytes), units, X and Y density (2 bytes each): what is kept of a JFIF segment; its
thumbnail (two size bytes and the pixels) is written as "none" (0 × 0)."""
MAX_SEGMENTS = 2_000
"""More markers than this outside the image data is no photo (a camera writes a few dozen): refused before a
file of millions of empty segments costs seconds to read."""


def _jfif_without_thumbnail(payload: bytes) -> bytes | None:
    """The JFIF segment with its thumbnail removed, or None when it is not a JFIF segment."""
    if not payload.startswith(b"JFIF\x00") or len(payload) < JFIF_HEAD + 2:
        return None
    kept = payload[:JFIF_HEAD] + b"\x00\x00"
    return b"\xff\xe0" + struct.pack(">H", len(kept) + 2) + kept


def _keep_app(marker: int, payload: bytes) -> bool:
    if marker == APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == APP14:
        return payload.startswith(b"Adobe")
    return False


def _scan_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data that begins at ``start`` ends: the first marker that is neither a stuffed
    zero (FF 00), a restart marker (FF D0-D7) nor fill (FF FF)."""
    position = start
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise PhotoError(Problem.DAMAGED, "the image data has no end")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position = found + 2
        elif following == 0xFF:
            position = found + 1
        else:
            return found


def _clean_jpeg(data: bytes) -> Photo:
    out = bytearray(JPEG_START)
    position = 2
    size: tuple[int, int] | None = None
    scans = segments = 0
    while True:
        if position >= len(data) or data[position] != 0xFF:
            raise PhotoError(Problem.DAMAGED, f"no marker at byte {position}")
        while position < len(data) and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= len(data):
            raise PhotoError(Problem.DAMAGED, "ends inside a marker")
        marker = data[position]
        position += 1
        if marker == EOI:
            if size is None or scans == 0:
                raise PhotoError(Problem.DAMAGED, "ends before any image data")
            out += b"\xff\xd9"
            break  # what follows the end marker is dropped
        if marker in STANDALONE:
            segments += 1
            if segments > MAX_SEGMENTS:
                raise PhotoError(Problem.DAMAGED, f"more than {MAX_SEGMENTS} segments")
            out += bytes((0xFF, marker))
            continue
        if marker in (0x00, 0xD8):
            raise PhotoError(Problem.DAMAGED, f"unexpected marker {marker:02X}")
        if position + 2 > len(data):
            raise PhotoError(Problem.DAMAGED, "ends inside a segment")
        (length,) = struct.unpack(">H", data[position : position + 2])
        end = position + length
        if length < 2 or end > len(data):
            raise PhotoError(Problem.DAMAGED, f"segment {marker:02X} runs past the end")
        payload = data[position + 2 : end]
        segment = bytes((0xFF, marker)) + data[position:end]
        position = end
        segments += 1
        if segments > MAX_SEGMENTS:
            raise PhotoError(Problem.DAMAGED, f"more than {MAX_SEGMENTS} segments")
        if marker == APP0:
            jfif = _jfif_without_thumbnail(payload)  # a JFXX segment (a thumbnail alone) is dropped
            if jfif is not None:
                out += jfif
        elif 0xE0 <= marker <= 0xEF:
            if _keep_app(marker, payload):
                out += segment
        elif marker == COM:
            pass
        elif marker in SOF_MARKERS:
            if size is not None or len(payload) < 6:
                raise PhotoError(Problem.DAMAGED, "a second or short frame header")
            height, width = struct.unpack(">HH", payload[1:5])
            size = (width, height)
            out += segment
        elif marker == SOS:
            if size is None:
                raise PhotoError(Problem.DAMAGED, "image data before the frame header")
            scan_end = _scan_end(data, position)
            out += segment + data[position:scan_end]
            position = scan_end
            scans += 1
        elif marker in TABLE_MARKERS:
            out += segment
        elif 0xF0 <= marker <= 0xFD:
            pass  # JPEG extensions (JPG0-13): no decoder of a photo needs them, and they could carry anything
        else:
            raise PhotoError(Problem.DAMAGED, f"unknown marker {marker:02X}")
    assert size is not None
    return Photo("jpeg", size[0], size[1], bytes(out))


# --- PNG (ISO/IEC 15948, W3C PNG specification) -----------------------------------------------------------

PNG_KEEP = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
                      b"bKGD", b"pHYs"})  # fmt: skip


MAX_PNG_CHUNKS = 20_000
"""An encoder writes its image data in chunks of 8 KB or more: a photo within the size limit has far fewer."""


def _clean_png(data: bytes) -> Photo:
    out = bytearray(PNG_SIGNATURE)
    position = len(PNG_SIGNATURE)
    size: tuple[int, int] | None = None
    has_data = False
    chunks = 0
    while True:
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            raise PhotoError(Problem.DAMAGED, f"more than {MAX_PNG_CHUNKS} chunks")
        if position + 12 > len(data):
            raise PhotoError(Problem.DAMAGED, "ends inside a chunk")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if length > 2**31 - 1 or end > len(data) or not kind.isalpha():
            raise PhotoError(Problem.DAMAGED, f"chunk at byte {position} runs past the end")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise PhotoError(Problem.DAMAGED, f"chunk {kind.decode('ascii')} has a wrong checksum")
        if size is None and kind != b"IHDR":
            raise PhotoError(Problem.DAMAGED, "the first chunk is not IHDR")
        if kind == b"IHDR":
            if size is not None or length != 13:
                raise PhotoError(Problem.DAMAGED, "a second or malformed IHDR")
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            has_data = True
        elif not kind[0:1].isupper() and kind not in PNG_KEEP:
            pass  # ancillary chunk that is not about drawing: dropped
        elif kind not in PNG_KEEP:
            raise PhotoError(Problem.DAMAGED, f"unknown critical chunk {kind.decode('ascii')}")
        if kind in PNG_KEEP:
            out += data[position:end]
        position = end
        if kind == b"IEND":
            break  # what follows IEND is dropped
    if size is None or not has_data:
        raise PhotoError(Problem.DAMAGED, "no image data")
    return Photo("png", size[0], size[1], bytes(out))
