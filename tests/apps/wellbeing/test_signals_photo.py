"""The photo of a signal (``domain.photos``): taken only when its bytes are a whole JPEG or PNG, rewritten
without any metadata (EXIF with its GPS position, XMP, comments, PNG text and time, bytes after the end)."""

from __future__ import annotations

import struct

import pytest

from domain import photos

from .signals_helpers import (
    SECRET_CAMERA,
    SECRET_COMMENT,
    SECRET_PNG_TEXT,
    SECRET_TRAILER,
    SECRET_XMP,
    jpeg_segments,
    png_chunk,
    png_chunks,
    tiny_jpeg,
    tiny_png,
    with_exif,
)

SECRETS = (b"Exif", b"GPS", SECRET_CAMERA, SECRET_XMP, SECRET_COMMENT, SECRET_TRAILER, SECRET_PNG_TEXT, b"MM\x00\x2a")


def test_a_jpeg_from_a_phone_loses_exif_gps_xmp_comment_and_trailer_and_keeps_its_picture() -> None:
    plain = tiny_jpeg(16, 8)
    photo = photos.clean(with_exif(plain))
    assert (photo.kind, photo.width, photo.height, photo.extension) == ("jpeg", 16, 8, "jpg")
    for secret in SECRETS:
        assert secret not in photo.data, secret
    assert 0xE1 not in jpeg_segments(photo.data) and 0xFE not in jpeg_segments(photo.data)
    # what remains is exactly the picture as it was before the phone's additions
    assert photo.data == plain


def test_a_clean_jpeg_is_kept_byte_for_byte() -> None:
    plain = tiny_jpeg()
    assert photos.clean(plain).data == plain


def test_a_jpeg_keeps_its_colour_profile_and_adobe_marker() -> None:
    plain = tiny_jpeg()
    icc = b"\xff\xe2" + struct.pack(">H", 2 + 12 + 4) + b"ICC_PROFILE\x00" + b"\x01\x01ab"
    adobe = b"\xff\xee" + struct.pack(">H", 2 + 12) + b"Adobe\x00\x64\x00\x00\x00\x00\x01"
    photo = photos.clean(plain[:2] + icc + adobe + plain[2:])
    assert jpeg_segments(photo.data)[:3] == [0xE2, 0xEE, 0xE0]


def test_restart_markers_and_stuffed_bytes_inside_the_image_data_are_kept() -> None:
    plain = tiny_jpeg()
    scan_at = plain.index(b"\xff\xda") + 2 + 8  # after the scan header
    data = plain[:scan_at] + b"\x12\xff\x00\x34\xff\xd0\x56" + plain[scan_at:]
    assert photos.clean(data).data == data


def test_a_png_loses_text_exif_time_and_trailer_and_keeps_what_draws_it() -> None:
    photo = photos.clean(tiny_png(4, 3))
    assert (photo.kind, photo.width, photo.height, photo.content_type) == ("png", 4, 3, "image/png")
    for secret in SECRETS:
        assert secret not in photo.data, secret
    assert png_chunks(photo.data) == [b"IHDR", b"gAMA", b"IDAT", b"IEND"]
    assert photo.data == tiny_png(4, 3, metadata=False)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", photos.Problem.EMPTY),
        (b"This is a text file called photo.jpg\n", photos.Problem.NOT_AN_IMAGE),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", photos.Problem.NOT_AN_IMAGE),
        (b"%PDF-1.7\n", photos.Problem.NOT_AN_IMAGE),
        (b"\xff\xd8\xff\xe0", photos.Problem.DAMAGED),  # a JPEG's first bytes only
        (b"\xff\xd8Just text after a JPEG start", photos.Problem.DAMAGED),
        (b"\x89PNG\r\n\x1a\n", photos.Problem.DAMAGED),  # a PNG's signature only
    ],
)
def test_what_is_not_a_whole_jpeg_or_png_is_refused(data: bytes, problem: photos.Problem) -> None:
    with pytest.raises(photos.PhotoError) as refused:
        photos.clean(data)
    assert refused.value.problem is problem


def test_a_jpeg_cut_off_before_its_end_is_refused() -> None:
    whole = tiny_jpeg()
    for cut in (len(whole) - 2, len(whole) - 10, whole.index(b"\xff\xda")):
        with pytest.raises(photos.PhotoError) as refused:
            photos.clean(whole[:cut])
        assert refused.value.problem is photos.Problem.DAMAGED, cut


def test_a_jpeg_without_image_data_or_frame_is_refused() -> None:
    whole = tiny_jpeg()
    no_scan = whole[: whole.index(b"\xff\xda")] + b"\xff\xd9"
    sof = whole.index(b"\xff\xc0")
    no_frame = whole[:sof] + whole[sof + 2 + 11 :]
    for data in (no_scan, no_frame):
        with pytest.raises(photos.PhotoError) as refused:
            photos.clean(data)
        assert refused.value.problem is photos.Problem.DAMAGED


def test_a_png_with_a_wrong_checksum_or_without_image_data_is_refused() -> None:
    good = tiny_png(metadata=False)
    idat = good.index(b"IDAT")
    broken = bytearray(good)
    broken[idat + 6] ^= 0xFF  # a byte of the compressed data: the chunk's CRC no longer matches
    no_data = good[: idat - 4] + good[good.index(b"IEND") - 4 :]
    for data in (bytes(broken), no_data, good[: good.index(b"IEND") - 4]):
        with pytest.raises(photos.PhotoError) as refused:
            photos.clean(data)
        assert refused.value.problem is photos.Problem.DAMAGED


def test_a_picture_with_too_many_pixels_is_refused_without_decoding_it() -> None:
    assert photos.clean(tiny_jpeg(12_000, 8)).width == 12_000
    for width, height in ((12_001, 8), (8, 12_001)):
        with pytest.raises(photos.PhotoError) as refused:
            photos.clean(tiny_jpeg(width, height))
        assert refused.value.problem is photos.Problem.TOO_LARGE_PICTURE
    # a PNG whose header claims 10,001 × 10,000 pixels (over 100 million) with a few bytes of data
    small = tiny_png(metadata=False)
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 10_001, 10_000, 8, 2, 0, 0, 0))
    claimed = small[:8] + header + small[8 + len(header) :]
    with pytest.raises(photos.PhotoError) as refused:
        photos.clean(claimed)
    assert refused.value.problem is photos.Problem.TOO_LARGE_PICTURE


# --- found by an attacker review: thumbnails, extension segments, pictures too large to draw, floods of markers


def _jfif(thumbnail: bytes = b"", width: int = 0, height: int = 0) -> bytes:
    body = b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01" + bytes((width, height)) + thumbnail
    return b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body


def test_a_thumbnail_inside_the_jfif_segment_or_in_a_jfxx_segment_is_dropped() -> None:
    plain = tiny_jpeg()
    start = plain.index(b"\xff\xe0")
    length = struct.unpack(">H", plain[start + 2 : start + 4])[0]
    secret = b"THUMB-SECRET"  # 2 x 2 pixels, 3 bytes each
    thumb = _jfif(secret, 2, 2)
    jfxx_body = b"JFXX\x00\x10" + secret
    jfxx = b"\xff\xe0" + struct.pack(">H", len(jfxx_body) + 2) + jfxx_body
    data = plain[:start] + thumb + jfxx + plain[start + 2 + length :]
    photo = photos.clean(data)
    assert secret not in photo.data
    jfif_at = photo.data.index(b"JFIF\x00")
    assert photo.data[jfif_at + 12 : jfif_at + 14] == b"\x00\x00"  # no thumbnail left


def test_jpeg_extension_segments_are_dropped() -> None:
    plain = tiny_jpeg()
    secret = b"HIDDEN-IN-AN-EXTENSION"
    extension = b"\xff\xf5" + struct.pack(">H", len(secret) + 2) + secret
    photo = photos.clean(plain[:2] + extension + plain[2:])
    assert secret not in photo.data and 0xF5 not in jpeg_segments(photo.data)


def test_a_flood_of_empty_segments_is_refused_quickly() -> None:
    plain = tiny_jpeg()
    flood = (b"\xff\xf0\x00\x02") * 100_000
    with pytest.raises(photos.PhotoError) as refused:
        photos.clean(plain[:2] + flood + plain[2:])
    assert refused.value.problem is photos.Problem.DAMAGED


def test_a_small_png_that_declares_a_huge_picture_is_refused() -> None:
    with pytest.raises(photos.PhotoError) as refused:
        photos.clean(tiny_png(12_000, 8_000, metadata=False)[:33] + tiny_png(metadata=False)[33:])
    assert refused.value.problem in {photos.Problem.TOO_LARGE_PICTURE, photos.Problem.DAMAGED}
