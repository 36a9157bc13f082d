"""A vectorised FIT decoder: record and hrv messages column-wise with numpy.

A FIT activity is a few definition messages, then thousands of ``record`` (and ``hrv``)
messages of one layout. :func:`decode_fast` finds every message with one header scan
(:mod:`fit_scan`), then pulls each field of all records of a definition at once (a strided
numpy view per field, invalid values to NaN, scale and offset as arrays, components and their
accumulation, compressed timestamps rebuilt as a segmented cumulative sum). The few other
messages the assembler reads (file_id, session, lap, hr, ...) are copied, with all
definitions, into a small FIT stream that fitdecode decodes: enum names, subfields and
developer-field descriptions then come out exactly as on the fitdecode path. fitdecode's
profile describes every field.

Whatever this decoder does not handle raises :class:`~myokinetics.ingest.fit_scan.Unsupported`
with the reason; :func:`~myokinetics.ingest.fit.read_fit` then decodes the file with fitdecode.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from fitdecode import FIT_FRAME_DATA, FIT_FRAME_DEFINITION
from fitdecode.profile import MESSAGE_TYPES
from fitdecode.types import BASE_TYPE_BYTE, BASE_TYPES

from myokinetics.ingest.fit_assemble import RECORD_FIELDS, developer_column, message_end_time
from myokinetics.ingest.fit_backends import DecodeLog, FitMessage, fitdecode_frames, split_fields
from myokinetics.ingest.fit_crc import fit_crc
from myokinetics.ingest.fit_scan import Scan, Unsupported, scan

__all__ = ["FastDecode", "decode_fast"]

_NUMBERS = {message.name: number for number, message in MESSAGE_TYPES.items()}
RECORD, HRV = _NUMBERS["record"], _NUMBERS["hrv"]
#: Messages the assembler reads besides record and hrv (they are few: fitdecode decodes them),
#: and developer_data_id, which fitdecode needs to name developer fields.
_FEW = frozenset(_NUMBERS[name] for name in (
    "file_id", "sport", "session", "lap", "device_info", "activity", "hr", "event",
    "timestamp_correlation", "field_description", "developer_data_id"))
_HR, _DEVICE_INFO = _NUMBERS["hr"], _NUMBERS["device_info"]
#: Messages whose end time can be start_time + total_elapsed_time (see message_end_time).
_SPANS = frozenset(number for number, message in MESSAGE_TYPES.items()
                   if {"start_time", "total_elapsed_time"} <= {
                       field.name for field in message.fields.values()})
TIMESTAMP_FIELD = 253
#: A manufacturer-specific message number carrying only a timestamp: written into the small
#: stream to give fitdecode the timestamp state the full stream had at that point.
_CLOCK_MESSAGE = 0xFF00
_BYTE, _STRING = 0x0D, 0x07
#: FIT base type -> (numpy type code, invalid value; None for floats: NaN is invalid).
_BASE: dict[int, tuple[str, int | None]] = {
    0x00: ("u1", 0xFF), 0x01: ("i1", 0x7F), 0x02: ("u1", 0xFF), 0x83: ("i2", 0x7FFF),
    0x84: ("u2", 0xFFFF), 0x85: ("i4", 0x7FFFFFFF), 0x86: ("u4", 0xFFFFFFFF),
    0x88: ("f4", None), 0x89: ("f8", None), 0x0A: ("u1", 0), 0x8B: ("u2", 0), 0x8C: ("u4", 0),
    0x8E: ("i8", 0x7FFFFFFFFFFFFFFF), 0x8F: ("u8", 0xFFFFFFFFFFFFFFFF), 0x90: ("u8", 0)}
_RECORD_NAMES = frozenset(key for keys in RECORD_FIELDS.values() for key in keys) | {"timestamp"}


@dataclass
class FastDecode:
    """What the assembler needs: the few messages, and record and RR columns."""

    messages: list[FitMessage]  # in stream order, record and hrv aside
    times: np.ndarray  # FIT seconds of every record, stream order
    columns: dict[str, np.ndarray]  # RECORD_FIELDS column -> float64, NaN where absent
    developer: dict[str, tuple[np.ndarray, np.ndarray]]  # key -> (record positions, values)
    rr_seconds: np.ndarray  # hrv intervals (s), stream order
    untimed_placed: int  # records without a timestamp given the next message's time
    untimed_skipped: int  # ... cut off: no message with a time follows them


@dataclass
class _Clock:
    """fitdecode's timestamp state through the stream, as sorted events and the state after
    each; asked for the state around given data messages."""

    keys: np.ndarray
    states: np.ndarray  # compressed-timestamp accumulator after each event
    set_keys: np.ndarray  # the events that set fitdecode's "last timestamp"
    set_values: np.ndarray

    def before(self, messages: np.ndarray) -> np.ndarray:
        return _state_at(self.keys, self.states, 3 * messages)

    def after(self, messages: np.ndarray) -> np.ndarray:
        return _state_at(self.keys, self.states, 3 * messages + 2)

    def last_before(self, messages: np.ndarray) -> np.ndarray:
        return _state_at(self.set_keys, self.set_values, 3 * messages)

    def stamps(self, messages: np.ndarray) -> np.ndarray:
        """The valid timestamp field of each message, -1 where it has none."""
        keys = 3 * messages.astype(np.int64) + 1
        position = np.clip(np.searchsorted(self.set_keys, keys), 0, len(self.set_keys) - 1)
        found = self.set_keys[position] == keys if len(self.set_keys) else keys < 0
        return np.where(found, self.set_values[position].astype(np.int64), -1)


@dataclass
class _Stream:
    """Every data message of the scan, with its timestamp state."""

    found: Scan
    buf: np.ndarray  # the file as uint8
    globals: np.ndarray  # global message number of each data message
    members: list[np.ndarray]  # definition index -> its data messages, ascending
    clock: _Clock
    stamped: np.ndarray  # bool: the message has a valid timestamp field

    def release_timing(self) -> None:
        """Free the per-message kinds, definition ids and clock (4 to 8 bytes per message
        each) once the record times and the small stream are made: the record columns, built
        next, are the memory peak, and they need only the offsets and members."""
        self.globals = self.stamped = np.empty(0, np.int32)
        self.found.definition_ids = np.empty(0, np.int32)
        self.clock = _Clock(*(np.empty(0),) * 4)


def decode_fast(data: bytes, check_crc: bool, log: DecodeLog) -> FastDecode:
    """Decode FIT bytes; raises :class:`Unsupported` for what it leaves to fitdecode."""
    found = scan(data)
    if check_crc:
        _check_crcs(data, found, log)
    log.fit_files = len(found.files)
    stream = _stream(data, found)
    small = _small_stream(data, stream)
    definitions: dict[int, Any] = {}
    messages: list[FitMessage] = []
    scratch = DecodeLog()
    definition_order, data_order = iter(small.definitions), iter(small.data_messages)
    try:
        for frame in fitdecode_frames(small.data, False, scratch):
            kind = frame.frame_type
            if kind == FIT_FRAME_DEFINITION:
                index = next(definition_order)
                if index is not None:
                    definitions[index] = frame
            elif kind == FIT_FRAME_DATA and next(data_order):
                messages.append(split_fields(frame.name, frame.fields))
    except Exception as error:  # fitdecode raises anything; the full pass decides
        raise Unsupported(f"fitdecode stopped on the non-record messages ({error})"[:160]) from None
    log.decoder_warnings.extend(small.warnings + scratch.decoder_warnings)
    for index, twin in small.twins.items():
        definitions[index] = definitions[twin]
    layouts, count = _record_layouts(stream)
    times = _record_times(stream, definitions, layouts, count)
    untimed = np.isnan(times)
    placed = skipped = 0
    if untimed.any():
        times, skipped = _place_untimed(stream, times, small.kept, messages)
        placed = int(untimed.sum()) - skipped
    del small, untimed
    stream.release_timing()
    columns, developer = _record_columns(stream, definitions, layouts, count)
    del layouts
    if skipped:
        keep = len(times)
        columns = {name: values[:keep] for name, values in columns.items()}
        developer = {key: (rows[rows < keep], values[rows < keep])
                     for key, (rows, values) in developer.items()}
    return FastDecode(messages, times, columns, developer, _rr(stream, definitions),
                      placed, skipped)


def _place_untimed(stream: _Stream, times: np.ndarray, kept: np.ndarray,
                   messages: list[FitMessage]) -> tuple[np.ndarray, int]:
    """Records without a timestamp take the end time of the next message that has one (a
    timed record, or any other known message), as the assembler places them; those after the
    last such message are cut off. Returns the times and how many were cut."""
    found = stream.found
    records = np.flatnonzero(stream.globals == RECORD)
    others = np.flatnonzero((stream.globals != RECORD)
                            & np.isin(stream.globals, list(MESSAGE_TYPES)))
    compressed = (stream.buf[found.header_offsets[others]] & 0x80) != 0
    stamps = stream.clock.stamps(others)
    ends = np.where(compressed, stream.clock.after(others),
                    np.where(stamps >= 0, stamps, np.nan)).astype(np.float64)
    spans = np.isin(stream.globals[others], list(_SPANS)) & np.isnan(ends)
    if np.isin(others[spans], kept, invert=True).any():
        raise Unsupported("untimed records and a message timed by start_time + elapsed time")
    for index, message in zip(kept.tolist(), messages, strict=True):
        end = message_end_time(message.fields)
        ends[np.searchsorted(others, index)] = np.nan if end is None else end
    timed = ~np.isnan(times)
    placers = np.concatenate((records[timed], others[~np.isnan(ends)]))
    placer_times = np.concatenate((times[timed], ends[~np.isnan(ends)]))
    order = np.argsort(placers, kind="stable")
    placers, placer_times = placers[order], placer_times[order]
    untimed = np.flatnonzero(~timed)
    position = np.searchsorted(placers, records[untimed], side="right")
    found_one = position < len(placers)
    times[untimed[found_one]] = placer_times[position[found_one]]
    skipped = int((~found_one).sum())
    return times[:len(times) - skipped], skipped


def _check_crcs(data: bytes, found: Scan, log: DecodeLog) -> None:
    for number, span in enumerate(found.files, start=1):
        if span.header_crc and fit_crc(data, span.start, span.start + 12) != span.header_crc:
            log.crc_mismatches.append(f"header of FIT file {number}")
        stored = data[span.body_end] | data[span.body_end + 1] << 8
        if fit_crc(data, span.start, span.body_end) != stored:
            log.crc_mismatches.append(f"data of FIT file {number}")


def _accumulate(keys: np.ndarray, is_set: np.ndarray, values: np.ndarray,
                bits: int) -> tuple[np.ndarray, np.ndarray]:
    """fitdecode's accumulation over events sorted by key: a set event stores its value, an
    add event ``v`` moves the accumulator ``a`` to ``a + ((v - a) mod 2**bits)``.

    Returns the sorted keys and the accumulator after each event.
    """
    order = np.argsort(keys, kind="stable")
    keys, is_set, values = keys[order], is_set[order], values[order].astype(np.int64)
    # after an add the accumulator is congruent to the added value, after a set equal to it
    previous = np.concatenate(([0], values[:-1]))
    delta = np.where(is_set, 0, (values - previous) & ((1 << bits) - 1))
    total = np.cumsum(delta)
    segment = np.cumsum(is_set)
    base = np.concatenate(([0], values[is_set]))[segment]
    base_total = np.concatenate(([0], total[is_set]))[segment]
    return keys, base + total - base_total


def _state_at(keys: np.ndarray, states: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The state after the last event with key <= ``at`` (0 before any)."""
    position = np.searchsorted(keys, at, side="right") - 1
    return np.where(position >= 0, states[np.clip(position, 0, None)], 0)


def _field_layout(definition: Any) -> list[tuple[Any, int]]:
    """(fitdecode field definition, byte offset in the payload) of every field, in order."""
    layout, offset = [], 0
    for field_def in [*definition.field_defs, *definition.dev_field_defs]:
        base = field_def.base_type
        if field_def.size % base.size:
            raise Unsupported(f"developer field of {field_def.size} bytes for type {base.name}")
        layout.append((field_def, offset))
        offset += field_def.size
    return layout


def _raw(stream: _Stream, members: np.ndarray, offset: int, size: int, base: int,
         endian: str) -> np.ndarray:
    """(messages, count) raw values of one field, read straight from the file bytes."""
    code, _ = _BASE[base]
    return _bytes(stream, members, offset, size).view(np.dtype(endian + code))


def _bytes(stream: _Stream, members: np.ndarray, offset: int, size: int) -> np.ndarray:
    """(messages, size) bytes of one field: one row of a sliding window per message."""
    windows = np.lib.stride_tricks.sliding_window_view(stream.buf, size)
    return windows[stream.found.header_offsets[members] + (1 + offset)]


def _invalid(raw: np.ndarray, base: int) -> np.ndarray:
    _, invalid = _BASE[base]
    return np.isnan(raw) if invalid is None else raw == invalid


def _stream(data: bytes, found: Scan) -> _Stream:
    buf = np.frombuffer(data, dtype=np.uint8)
    count = len(found.header_offsets)
    def_globals = np.array([d.global_number for d in found.definitions] or [0], dtype=np.int32)
    globals_ = def_globals[found.definition_ids] if count else np.empty(0, np.int32)
    order = np.argsort(found.definition_ids, kind="stable").astype(np.int32)
    bounds = np.concatenate(([0], np.cumsum(np.bincount(found.definition_ids,
                                                        minlength=len(found.definitions)))))
    members = [order[bounds[i]:bounds[i + 1]] for i in range(len(found.definitions))]
    stream = _Stream(found, buf, globals_, members, clock=_Clock(*(np.empty(0),) * 4),
                     stamped=np.empty(0, bool))
    stamp = np.full(count, -1, dtype=np.int64)
    for index, definition in enumerate(found.definitions):
        if any(number == TIMESTAMP_FIELD for number, _, _ in definition.developer):
            raise Unsupported("a developer field numbered 253 (the timestamp number)")
        offset = 0
        for number, size, base in definition.fields:
            if number == TIMESTAMP_FIELD and len(members[index]):
                if size != 4 or base != 0x86:
                    raise Unsupported(f"timestamp field of {size} bytes, base type {base:#x}")
                values = _raw(stream, members[index], offset, 4, base, definition.endian)[:, 0]
                valid = ~_invalid(values, base)
                stamp[members[index][valid]] = values[valid]
            offset += size
    stream.stamped = stamp >= 0
    stream.clock = _clock(found, stamp, buf[found.header_offsets])
    return stream


def _clock(found: Scan, stamp: np.ndarray, headers: np.ndarray) -> _Clock:
    """Events, by key: 3i a file starts at message i (state reset), 3i+1 its timestamp field,
    3i+2 its compressed timestamp header."""
    stamped = np.flatnonzero(stamp >= 0)
    file_of = np.searchsorted([s.start for s in found.files], found.header_offsets,
                              side="right") - 1
    firsts = np.flatnonzero(np.diff(file_of, prepend=-1))
    set_keys = np.concatenate((3 * firsts, 3 * stamped + 1)).astype(np.int32)
    set_values = np.concatenate((np.zeros(len(firsts), np.int64), stamp[stamped]))
    set_values = set_values.astype(np.uint32)  # FIT timestamps are 32-bit
    if len(firsts) > 1:
        order = np.argsort(set_keys, kind="stable")
        set_keys, set_values = set_keys[order], set_values[order]
    compressed = np.flatnonzero(headers & 0x80)
    if not len(compressed):  # the accumulator is the last timestamp
        return _Clock(set_keys, set_values, set_keys, set_values)
    keys, states = _accumulate(
        np.concatenate((set_keys, 3 * compressed + 2)),
        np.concatenate((np.ones(len(set_keys), bool), np.zeros(len(compressed), bool))),
        np.concatenate((set_values, (headers[compressed] & 0x1F).astype(np.int64))), 5)
    return _Clock(keys, states, set_keys, set_values)


@dataclass
class _Small:
    """The small FIT stream and how its frames map back to the scan."""

    data: bytes
    definitions: list[int | None]  # written definitions in order (None: a clock definition)
    data_messages: list[bool]  # written data messages in order (False: a clock message)
    twins: dict[int, int]  # definition not written -> the identical one that was
    warnings: list[str]  # fitdecode's, for definitions not written
    kept: np.ndarray  # the kept data messages, in order


def _kept_kinds(stream: _Stream) -> frozenset[int]:
    """The _FEW kinds and, when records lack a timestamp, those that can end at start_time +
    total_elapsed_time: their end time places such records."""
    headers = stream.buf[stream.found.header_offsets]
    if ((stream.globals == RECORD) & ~stream.stamped & (headers < 0x80)).any():
        return _FEW | _SPANS
    return _FEW


def _kept_messages(stream: _Stream, few: frozenset[int]) -> np.ndarray:
    """Data messages of the ``few`` kinds, but of device_info only the first creator
    (device_index 0) one, the one the assembler uses (watches write hundreds)."""
    kept = np.flatnonzero(np.isin(stream.globals, list(few)))
    devices = kept[stream.globals[kept] == _DEVICE_INFO]
    wanted = []  # the first creator, and before it any whose device_index is not one byte
    for index in devices.tolist():
        definition = stream.found.definitions[stream.found.definition_ids[index]]
        offset = 0
        for number, size, _ in definition.fields:
            if number == 0:
                if size != 1:
                    wanted.append(index)
                elif stream.buf[stream.found.header_offsets[index] + 1 + offset] == 0:
                    wanted.append(index)
                    return kept[(stream.globals[kept] != _DEVICE_INFO) | np.isin(kept, wanted)]
                break
            offset += size
    return kept[(stream.globals[kept] != _DEVICE_INFO) | np.isin(kept, wanted)]


def _writes(data: bytes, stream: _Stream,
            few: frozenset[int]) -> tuple[list[bool], dict[int, int], list[str]]:
    """Which definitions the small stream needs: those of kept messages and those with
    developer fields (they change fitdecode's developer state), and one of each distinct
    record or hrv layout. For the others, fitdecode's field-size warning is made here."""
    write, twins, warnings = [], {}, []
    layouts: dict[bytes, int] = {}  # a record/hrv definition's bytes -> its first index
    for index, definition in enumerate(stream.found.definitions):
        number = definition.global_number
        if number in (RECORD, HRV) and not definition.developer:
            layout = data[definition.start + 1:definition.end]
            twin = layouts.setdefault(layout, index)
            if twin != index:
                twins[index] = twin
            write.append(twin == index)
            continue
        needed = number in few or number in (RECORD, HRV) or bool(definition.developer)
        write.append(needed)
        if not needed:
            for _, size, base in definition.fields:
                base_type = BASE_TYPES.get(base, BASE_TYPE_BYTE)
                if size % base_type.size:
                    warnings.append(f"invalid field size {size} in definition message @ "
                                    f"{definition.start} for type {base_type.name} (expected "
                                    f"a multiple of {base_type.size})")
    return write, twins, warnings


def _small_stream(data: bytes, stream: _Stream) -> _Small:
    """A FIT chain holding the definitions and data messages the assembler needs, and
    messages that set fitdecode's timestamp state where dropped messages had set it."""
    found = stream.found
    few = _kept_kinds(stream)
    kept = _kept_messages(stream, few)
    write, twins, warnings = _writes(data, stream, few)
    items = sorted([(d.sequence, 0, i) for i, d in enumerate(found.definitions)]
                   + list(zip(found.sequences(kept).tolist(), [1] * len(kept), kept.tolist(),
                              strict=True)))
    file_starts = [span.start for span in found.files]
    bodies: list[bytearray] = [bytearray() for _ in found.files]
    definitions: list[int | None] = []
    data_messages: list[bool] = []
    # per file: global number defined on each local, compressed-timestamp accumulator and
    # fitdecode's last timestamp, as the small stream leaves them
    locals_: dict[int, list[int | None]] = {}
    clock: dict[int, tuple[int, int]] = {}
    before = dict(zip(kept.tolist(), stream.clock.before(kept).tolist(), strict=True))
    after = dict(zip(kept.tolist(), stream.clock.after(kept).tolist(), strict=True))
    last_before = dict(zip(kept.tolist(), stream.clock.last_before(kept).tolist(), strict=True))
    stamps = dict(zip(kept.tolist(), stream.clock.stamps(kept).tolist(), strict=True))
    for _, kind, index in items:
        if kind == 0:
            definition = found.definitions[index]
            locals_.setdefault(definition.file_number, [None] * 16)[definition.local] = (
                definition.global_number)
            if write[index]:
                bodies[definition.file_number - 1] += data[definition.start:definition.end]
                definitions.append(index)
            continue
        offset = int(found.header_offsets[index])
        number = int(np.searchsorted(file_starts, offset, side="right"))
        accumulator, last = clock.get(number, (0, 0))
        body = bodies[number - 1]
        wanted = before[index]
        if wanted != accumulator:
            accumulator = last = wanted
            _write_clock(body, locals_.setdefault(number, [None] * 16), wanted, definitions,
                         few)
            data_messages.append(False)
        if stream.globals[index] == _HR and (last > 0) != (last_before[index] > 0):
            raise Unsupported("hr message whose strap-clock anchor depends on dropped messages")
        size = found.definitions[found.definition_ids[index]].size
        body += data[offset:offset + 1 + size]
        data_messages.append(True)
        stamp = stamps[index]
        clock[number] = (after[index], stamp if stamp >= 0 else last)
    out = bytearray()
    for body in bodies:
        out += struct.pack("<BBHI4s", 12, 0x20, 2132, len(body), b".FIT") + body + b"\0\0"
    return _Small(bytes(out), definitions, data_messages, twins, warnings, kept)


def _write_clock(body: bytearray, locals_: list[int | None], value: int,
                 definitions: list[int | None], few: frozenset[int]) -> None:
    """Write a message holding only ``value`` as timestamp, on a local number that no kept
    message needs any more (defining it first when needed)."""
    if value >= 0xFFFFFFFF:
        raise Unsupported("compressed timestamps overflow 32 bits")
    if _CLOCK_MESSAGE in locals_:
        local = locals_.index(_CLOCK_MESSAGE)
    else:
        free = [n for n, number in enumerate(locals_) if number not in few]
        if not free:
            raise Unsupported("all 16 local message numbers hold kept messages")
        local = free[-1]
        body += bytes((0x40 | local, 0, 0)) + struct.pack("<HB", _CLOCK_MESSAGE, 1)
        body += bytes((TIMESTAMP_FIELD, 4, 0x86))
        locals_[local] = _CLOCK_MESSAGE
        definitions.append(None)
    body += bytes((local,)) + struct.pack("<I", value)

def _component_raw(stream: _Stream, members: np.ndarray, field_def: Any, offset: int,
                   endian: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(raw integer, present) of a field that components are cut from; None when it is a
    byte array too long to hold in 64 bits."""
    base, size = field_def.base_type.identifier, field_def.size
    if base == _BYTE:
        if size > 8:
            raise Unsupported(f"components cut from a {size}-byte array")
        block = _bytes(stream, members, offset, size)
        raw = np.zeros(len(members), dtype=np.uint64)
        for byte in range(size - 1, -1, -1):  # little endian, as fitdecode joins them
            raw = (raw << np.uint64(8)) + block[:, byte].astype(np.uint64)
        return raw, ~(block == 0xFF).all(axis=1)
    if size != field_def.base_type.size or base == _STRING or _BASE[base][1] is None:
        raise Unsupported(f"components cut from a {field_def.base_type.name} field of "
                          f"{size} bytes")
    raw = _raw(stream, members, offset, size, base, endian)[:, 0]
    return raw.astype(np.uint64), ~_invalid(raw, base)


def _scaled(values: np.ndarray, scale: Any, offset: Any) -> np.ndarray:
    """fitdecode's ``float(raw) / scale - offset`` (each step only when set)."""
    out = values.astype(np.float64)
    if scale:
        out /= scale
    if offset:
        out -= offset
    return out


def _accumulated(stream: _Stream, definitions: dict[int, Any],
                 names: tuple[str, ...]) -> dict[int, np.ndarray]:
    """Accumulated raw values of the record components called ``names`` (e.g. distance from
    compressed_speed_distance), by component field number, over all data messages.

    fitdecode restarts an accumulator at 0 at each record definition that declares it.
    """
    found = stream.found
    events: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]] = {}
    for index, definition in enumerate(found.definitions):
        if definition.global_number != RECORD:
            continue
        fd = definitions[index]
        members = stream.members[index]
        seen: set[int] = set()
        for field_def, offset in _field_layout(fd):
            field = None if _is_developer(field_def) else field_def.field
            for component in (field.components or ()) if field else ():
                target = fd.mesg_type.fields[component.def_num]
                if not component.accumulate or target.name not in names:
                    continue
                if component.def_num in seen:
                    raise Unsupported(f"two accumulated components feed {target.name}")
                seen.add(component.def_num)
                keys = [np.array([definition.sequence])]
                values = [np.zeros(1, dtype=np.int64)]
                is_set = [np.ones(1, bool)]
                if len(members):
                    cut = _component_raw(stream, members, field_def, offset, definition.endian)
                    if cut is not None and (not component.bit_offset
                                            or component.bit_offset < 8 * field_def.size):
                        raw, present = cut
                        part = (raw >> np.uint64(component.bit_offset)) & np.uint64(
                            (1 << component.bits) - 1)
                        keys.append(found.sequences(members[present]))
                        values.append(part[present].astype(np.int64))
                        is_set.append(np.zeros(int(present.sum()), bool))
                events.setdefault(component.def_num, []).append(
                    (np.concatenate(keys), np.concatenate(values), np.concatenate(is_set),
                     component.bits))
    out = {}
    for number, parts in events.items():
        if len({bits for *_, bits in parts}) > 1:
            raise Unsupported("an accumulated component declared with different bit widths")
        sorted_keys, states = _accumulate(np.concatenate([p[0] for p in parts]),
                                          np.concatenate([p[2] for p in parts]),
                                          np.concatenate([p[1] for p in parts]), parts[0][3])
        sequences = found.sequences(np.arange(len(found.header_offsets)))
        full = np.zeros(len(sequences), dtype=np.int64)
        at = np.searchsorted(sequences, sorted_keys)
        message = (at < len(sequences)) & (sequences[np.clip(at, 0, len(sequences) - 1)]
                                           == sorted_keys)
        full[at[message]] = states[message]
        out[number] = full
    return out


def _is_developer(field_def: Any) -> bool:
    return hasattr(field_def, "dev_data_index")


def _record_sources(stream: _Stream, index: int, fd: Any, accumulated: dict[int, np.ndarray],
                    names: tuple[str, ...]) -> Iterator[tuple[str, np.ndarray]]:
    """(field name, float64 values with NaN where absent) of the fields called ``names``, in
    the order fitdecode emits them for one record definition: each field's components, then
    the field itself."""
    definition = stream.found.definitions[index]
    members = stream.members[index]
    for field_def, offset in _field_layout(fd):
        if _is_developer(field_def) or field_def.field is None:
            continue
        field = field_def.field
        called = {field.name} | {sub.name for sub in field.subfields or ()}
        if field.subfields and called & _RECORD_NAMES:
            raise Unsupported(f"record field {field.name} has subfields")
        for component in field.components or ():
            target = fd.mesg_type.fields[component.def_num]
            if target.name not in names:
                continue
            if target.subfields or target.type.enum:
                raise Unsupported(f"record component {target.name} needs its profile type")
            cut = _component_raw(stream, members, field_def, offset, definition.endian)
            if cut is None or (component.bit_offset
                               and component.bit_offset >= 8 * field_def.size):
                continue
            part, present = cut  # a fresh array: cut in place
            if component.accumulate:
                part = accumulated[component.def_num][members]
            else:
                part >>= np.uint64(component.bit_offset)
                part &= np.uint64((1 << component.bits) - 1)
            values = _scaled(part, component.scale, component.offset)
            del part
            values[~present] = np.nan
            yield target.name, values
        if field.name not in names:
            continue
        base = field_def.base_type.identifier
        if field.type.enum or base in (_BYTE, _STRING) or field_def.size != (
                field_def.base_type.size):
            raise Unsupported(f"record field {field.name}: {field_def.size} bytes of "
                              f"{field_def.base_type.name}")
        raw = _raw(stream, members, offset, field_def.size, base, definition.endian)[:, 0]
        values = _scaled(raw, field.scale, field.offset)
        values[_invalid(raw, base)] = np.nan
        yield field.name, values


def _developer_sources(stream: _Stream, index: int,
                       fd: Any) -> list[tuple[str, np.ndarray]]:
    """(assembler column, float64 values) of the developer fields of one record definition;
    arrays, bytes and invalid values are NaN as the assembler makes them. Two fields with one
    name keep the first one's place and the last one's values, as a dict does."""
    definition = stream.found.definitions[index]
    members = stream.members[index]
    out: dict[str, np.ndarray] = {}
    for field_def, offset in _field_layout(fd):
        if not _is_developer(field_def):
            continue
        base = field_def.base_type.identifier
        if base == _STRING:
            raise Unsupported("text developer field in records")
        # a field fitdecode found no description for has no name: the column takes its number
        key = developer_column(field_def.dev_data_index, field_def.field.name,
                               field_def.def_num)
        if field_def.size != field_def.base_type.size or base == _BYTE:
            values = np.full(len(members), np.nan)
        else:
            raw = _raw(stream, members, offset, field_def.size, base, definition.endian)[:, 0]
            values = raw.astype(np.float64)
            values[_invalid(raw, base)] = np.nan
        out[key] = values
    return list(out.items())


def _record_layouts(stream: _Stream) -> tuple[list[tuple[int, np.ndarray]], int]:
    """(definition index, int32 record rows of its messages) of every record layout in use,
    and the number of records."""
    records = np.flatnonzero(stream.globals == RECORD)
    layouts = [(index, np.searchsorted(records, stream.members[index]).astype(np.int32))
               for index, definition in enumerate(stream.found.definitions)
               if definition.global_number == RECORD and len(stream.members[index])]
    return layouts, len(records)


def _record_times(stream: _Stream, definitions: dict[int, Any],
                  layouts: list[tuple[int, np.ndarray]], count: int) -> np.ndarray:
    """FIT seconds of every record in stream order, NaN where a record has no timestamp:
    its timestamp field, else its compressed timestamp header."""
    keys = ("timestamp",)
    accumulated = _accumulated(stream, definitions, keys)
    times = None
    for index, rows in layouts:
        members = stream.members[index]
        values = _layout_values(stream, index, definitions[index], accumulated, keys)
        compressed = (stream.buf[stream.found.header_offsets[members]] & 0x80) != 0
        if compressed.any():
            if values is None:
                values = np.full(len(members), np.nan)
            values[compressed] = stream.clock.after(members[compressed])
        times = _place(times, rows, values, count)
    return np.full(count, np.nan) if times is None else times


def _record_columns(stream: _Stream, definitions: dict[int, Any],
                    layouts: list[tuple[int, np.ndarray]], count: int) -> tuple[
                        dict[str, np.ndarray], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The assembler columns some field feeds (in RECORD_FIELDS order) and the developer
    fields, in stream order."""
    # one column at a time: only one layout's arrays are alive besides the finished columns
    columns: dict[str, np.ndarray] = {}
    for column, keys in RECORD_FIELDS.items():
        accumulated = _accumulated(stream, definitions, keys)
        values = None
        for index, rows in layouts:
            values = _place(values, rows, _layout_values(stream, index, definitions[index],
                                                         accumulated, keys), count)
        del accumulated
        if values is not None:
            columns[column] = values
    developer: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for index, rows in layouts:
        for order, (key, values) in enumerate(_developer_sources(stream, index,
                                                                 definitions[index])):
            developer.setdefault(key, []).append((rows, values))
            first_seen[key] = min(first_seen.get(key, (count, 0)), (int(rows[0]), order))
    return columns, _developer_columns(developer, first_seen)


def _layout_values(stream: _Stream, index: int, fd: Any, accumulated: dict[int, np.ndarray],
                   keys: tuple[str, ...]) -> np.ndarray | None:
    """One column's values for the records of one layout, None when no field feeds it.

    A field emitted twice (a component and the field itself) keeps the later value where it
    is present, as fitdecode's dict does; then the first present key wins."""
    by_name: dict[str, np.ndarray] = {}
    for name, values in _record_sources(stream, index, fd, accumulated, keys):
        if name in by_name:
            np.copyto(by_name[name], values, where=~np.isnan(values))
        else:
            by_name[name] = values
    present = [by_name.pop(key) for key in keys if key in by_name]
    if not present:
        return None
    values = present[0]
    for fallback in present[1:]:
        np.copyto(values, fallback, where=np.isnan(values))
    return values


def _place(column: np.ndarray | None, rows: np.ndarray, values: np.ndarray | None,
           count: int) -> np.ndarray | None:
    """``column`` (all ``count`` records, made on first use) with ``values`` at ``rows``."""
    if values is None:
        return column
    if column is None:
        if len(rows) == count:  # every record has this layout: rows are 0..count-1
            return values
        column = np.full(count, np.nan)
    column[rows] = values
    return column


def _developer_columns(parts: dict[str, list[tuple[np.ndarray, np.ndarray]]],
                       first_seen: dict[str, tuple[int, int]]) -> dict[str, tuple[
                           np.ndarray, np.ndarray]]:
    out = {}
    for key in sorted(parts, key=first_seen.__getitem__):
        rows = np.concatenate([r for r, _ in parts[key]])
        values = np.concatenate([v for _, v in parts[key]])
        order = np.argsort(rows, kind="stable")
        out[key] = (rows[order].astype(np.int64), values[order])
    return out


def _rr(stream: _Stream, definitions: dict[int, Any]) -> np.ndarray:
    """hrv ``time`` values (s) in stream order, invalid slots left out."""
    messages, intervals = [], []
    for index, definition in enumerate(stream.found.definitions):
        members = stream.members[index]
        if definition.global_number != HRV or not len(members):
            continue
        fd = definitions[index]
        times = []
        for field_def, offset in _field_layout(fd):
            field = None if _is_developer(field_def) else field_def.field
            if field is None:
                continue
            if any(fd.mesg_type.fields[c.def_num].name == "time"
                   for c in field.components or ()):
                raise Unsupported("hrv time from a component")
            if field.name == "time":
                times.append((field_def, offset))
        if len(times) > 1:
            raise Unsupported("hrv message with two time fields")
        if not times:
            continue
        field_def, offset = times[0]
        base = field_def.base_type.identifier
        if field_def.field.type.enum or base in (_BYTE, _STRING) or _BASE[base][1] is None:
            raise Unsupported(f"hrv time of type {field_def.base_type.name}")
        raw = _raw(stream, members, offset, field_def.size, base, definition.endian)
        valid = raw != _BASE[base][1]  # an integer type (checked above)
        present = raw[valid]
        del raw  # these arrays can hold 100,000 beats: each freed as soon as it is used
        values = _scaled(present, field_def.field.scale, field_def.field.offset)
        del present
        # 65.535 s pads unused slots when a decoder does not make it None (the assembler rule)
        short = values < 65.535
        if not short.all():
            values = values[short]
        messages.append((members, valid, short))
        intervals.append(values)
    if not intervals:
        return np.empty(0)
    if len(intervals) == 1:  # one hrv layout: already in stream order
        return intervals[0]
    owners = np.concatenate([np.repeat(members, valid.sum(axis=1))[short]
                             for members, valid, short in messages])
    order = np.argsort(owners, kind="stable")
    return np.concatenate(intervals)[order]
