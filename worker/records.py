"""Records the Kafka client cannot decode: a header key that is not UTF-8.

The protocol says header keys are strings, but librdkafka writes whatever bytes it is given.
aiokafka decodes keys strictly while it unpacks a fetched batch, so one such record makes
``getmany`` raise ``UnicodeDecodeError`` before any record of the fetch is returned, and the
worker would crash on every restart without ever getting past it (a poison pill).

``install()`` wraps the record sets aiokafka's fetcher builds. Batches are read by aiokafka's
own (C) reader as before; only when that reader fails on a header key is the same batch read
again here, with the bad key decoded as ``surrogateescape`` so no byte is lost. The record then
reaches the stream like any other; ``invalid_header_keys`` spots it and the stream sends it to
the DLQ as ``invalid_header`` with its raw key, value and headers (``quarantine``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import codec
from aiokafka.consumer import fetcher
from aiokafka.record.util import decode_varint

_BATCH_HEADER = struct.Struct(">qiibIhiqqqhii")  # v2 record batch header, 61 bytes
_LOG_APPEND_TIME = 1
_DECOMPRESS = {1: codec.gzip_decode, 2: codec.snappy_decode, 3: codec.lz4_decode,
               4: codec.zstd_decode}
HEADER_ERRORS = "surrogateescape"
_ORIGINAL = fetcher.MemoryRecords


@dataclass(frozen=True, slots=True)
class LenientRecord:
    """The fields aiokafka's fetcher reads from a record."""

    offset: int
    timestamp: int
    timestamp_type: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes | None]]
    checksum: None = None


def read_batch(raw: bytes) -> Iterator[LenientRecord]:
    """Every record of one v2 batch (``raw`` starts at its base offset)."""
    (base_offset, _length, _epoch, magic, _crc, attrs, _last_delta, first_ts, max_ts,
     _pid, _pepoch, _seq, count) = _BATCH_HEADER.unpack_from(raw)
    if magic != 2:
        return  # message formats v0/v1 have no headers, so nothing here can be undecodable
    body: Any = raw[_BATCH_HEADER.size:]
    if attrs & 0x07:
        body = _DECOMPRESS[attrs & 0x07](bytes(body))
    ts_type = (attrs >> 3) & 1
    buf = bytearray(body)
    pos = 0
    for _ in range(count):
        _rec_len, pos = decode_varint(buf, pos)
        pos += 1  # record attributes (unused)
        ts_delta, pos = decode_varint(buf, pos)
        offset_delta, pos = decode_varint(buf, pos)
        key, pos = _bytes(buf, pos)
        value, pos = _bytes(buf, pos)
        n_headers, pos = decode_varint(buf, pos)
        headers: list[tuple[str, bytes | None]] = []
        for _ in range(n_headers):
            h_key, pos = _bytes(buf, pos)
            h_value, pos = _bytes(buf, pos)
            headers.append(((h_key or b"").decode("utf-8", HEADER_ERRORS), h_value))
        yield LenientRecord(base_offset + offset_delta,
                            max_ts if ts_type == _LOG_APPEND_TIME else first_ts + ts_delta,
                            ts_type, key, value, headers)


def _bytes(buf: bytearray, pos: int) -> tuple[bytes | None, int]:
    size, pos = decode_varint(buf, pos)
    if size < 0:
        return None, pos
    return bytes(buf[pos : pos + size]), pos + size


class _Batch:
    """aiokafka's batch, except that iteration survives an undecodable header key."""

    def __init__(self, batch: Any, raw: bytes) -> None:
        self._batch, self._raw = batch, raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self._batch, name)

    def __next__(self) -> Any:  # the fetcher reads control records this way
        return next(self._batch)

    def __iter__(self) -> Iterator[Any]:
        last = -1
        try:
            for record in self._batch:
                last = record.offset
                yield record
        except UnicodeDecodeError:
            for record in read_batch(self._raw):
                if record.offset > last:
                    yield record


class LenientMemoryRecords:
    """Drop-in for aiokafka's ``MemoryRecords`` that hands out ``_Batch`` wrappers. It walks
    the same bytes alongside (each batch is its 12-byte offset/length prefix plus length), so
    every batch knows its raw slice for the fallback."""

    def __init__(self, raw: bytes) -> None:
        self._inner = _ORIGINAL(raw)
        self._raw = raw
        self._pos = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def has_next(self) -> bool:
        return bool(self._inner.has_next())

    def next_batch(self) -> Any:
        batch = self._inner.next_batch()
        if batch is None:
            return None
        (length,) = struct.unpack_from(">i", self._raw, self._pos + 8)
        end = self._pos + 12 + length
        raw, self._pos = self._raw[self._pos : end], end
        return _Batch(batch, bytes(raw))


def install() -> None:
    """Make aiokafka's fetcher use ``LenientMemoryRecords`` (idempotent)."""
    fetcher.MemoryRecords = LenientMemoryRecords


def _utf8(key: str) -> bool:
    """False for a key read with ``surrogateescape`` from bytes that are not UTF-8."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def invalid_header_keys(headers: Sequence[tuple[str, Any]] | None) -> list[bytes]:
    """Raw bytes of the header keys that are not UTF-8 (empty for a healthy record)."""
    return [key.encode("utf-8", HEADER_ERRORS) for key, _ in headers or () if not _utf8(key)]


def quarantine(headers: Sequence[tuple[str, bytes | None]] | None) -> list[tuple[str, bytes]]:
    """Headers that can be written again: a bad key becomes the pair
    ``dlq.invalid.header.key`` (its raw bytes) and ``dlq.invalid.header.value``, in place."""
    out: list[tuple[str, bytes]] = []
    for key, value in headers or ():
        if _utf8(key):
            out.append((key, value or b""))
        else:
            out += [("dlq.invalid.header.key", key.encode("utf-8", HEADER_ERRORS)),
                    ("dlq.invalid.header.value", value or b"")]
    return out
