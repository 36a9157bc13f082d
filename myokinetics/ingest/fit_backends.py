"""FIT decoder backends behind one small interface.

A backend turns FIT bytes into a stream of :class:`FitMessage` (name, native fields, developer
fields) with timestamps left as raw FIT seconds, and reports CRC results through a
:class:`DecodeLog`. It never hides a decoder error: it lets the exception out after yielding
everything it could decode, and the assembler keeps that part.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, NamedTuple

from myokinetics.ingest.fit_assemble import developer_column

__all__ = ["BACKENDS", "DecodeLog", "FitMessage", "backend_version", "fitdecode_frames",
           "split_fields"]


class FitMessage(NamedTuple):
    """One decoded data message: native fields by profile name, developer fields apart."""

    name: str
    fields: dict[str, Any]
    developer: dict[str, Any]


@dataclass
class DecodeLog:
    """What the decoder noticed besides messages: CRC results and its own warnings."""

    crc_mismatches: list[str] = field(default_factory=list)
    decoder_warnings: list[str] = field(default_factory=list)
    fit_files: int = 0


Backend = Callable[[bytes, bool, DecodeLog], Iterator[FitMessage]]

def _is_unknown(name: str | None) -> bool:
    return name is None or name.startswith("unknown")


def _split_fields(name: str, fields: Any, developer_type: type) -> FitMessage:
    """Native fields by name (missing values left out) and developer fields apart."""
    native: dict[str, Any] = {}
    developer: dict[str, Any] = {}
    for fd in fields:
        if isinstance(fd.field_def, developer_type):
            definition: Any = fd.field_def  # a decoder's developer field definition
            developer[developer_column(definition.dev_data_index, fd.name,
                                       definition.def_num)] = fd.value
        elif fd.value is not None:
            native[fd.name] = fd.value
    return FitMessage(name, native, developer)


def fitdecode_frames(data: bytes, check_crc: bool, log: DecodeLog) -> Iterator[Any]:
    """Every fitdecode frame (headers, definitions, data, CRCs), values left raw; CRC results
    and fitdecode's warnings go to ``log``."""
    import fitdecode
    from fitdecode.processors import DataProcessorBase

    class _RawValues(DataProcessorBase):
        """Keep decoded values as they are (timestamps in FIT seconds): no per-field hooks."""

        def on_process_type(self, reader: Any, field_data: Any) -> None:
            return None

        def on_process_field(self, reader: Any, field_data: Any) -> None:
            return None

        def on_process_unit(self, reader: Any, field_data: Any) -> None:
            return None

        def on_process_message(self, reader: Any, data_message: Any) -> None:
            return None

    crc_check = fitdecode.CrcCheck.READONLY if check_crc else fitdecode.CrcCheck.DISABLED
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with fitdecode.FitReader(io.BytesIO(data), processor=_RawValues(),
                                     check_crc=crc_check,
                                     error_handling=fitdecode.ErrorHandling.WARN) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitHeader):
                        log.fit_files += 1
                        if check_crc and frame.crc and frame.crc_matched is False:
                            log.crc_mismatches.append(f"header of FIT file {log.fit_files}")
                    elif (isinstance(frame, fitdecode.FitCRC) and check_crc
                          and frame.matched is False):
                        log.crc_mismatches.append(f"data of FIT file {log.fit_files}")
                    yield frame
        finally:
            log.decoder_warnings.extend(str(w.message) for w in caught)


def split_fields(name: str, fields: Any) -> FitMessage:
    """Native fields by name (missing values left out) and developer fields apart."""
    from fitdecode.types import DevFieldDefinition

    return _split_fields(name, fields, DevFieldDefinition)


def _decode_fitdecode(data: bytes, check_crc: bool, log: DecodeLog) -> Iterator[FitMessage]:
    from fitdecode import FIT_FRAME_DATA

    for frame in fitdecode_frames(data, check_crc, log):
        if frame.frame_type == FIT_FRAME_DATA and not _is_unknown(frame.name):
            yield split_fields(frame.name, frame.fields)


def _decode_fitparse(data: bytes, check_crc: bool, log: DecodeLog) -> Iterator[FitMessage]:
    import fitparse
    from fitparse.processors import FitFileDataProcessor
    from fitparse.records import DevFieldDefinition
    from fitparse.utils import FitCRCError

    class _RawTimes(FitFileDataProcessor):
        """fitparse's processor, but timestamps stay raw FIT seconds like fitdecode's."""

        def process_type_date_time(self, field_data: Any) -> None:
            return None

        def process_type_local_date_time(self, field_data: Any) -> None:
            return None

    # fitparse 1.2.0 raises FitCRCError only after yielding everything, so decode with the CRC
    # check on and turn that final error into a CRC note.
    fit = fitparse.FitFile(io.BytesIO(data), check_crc=check_crc, data_processor=_RawTimes())
    try:
        for message in fit.get_messages():
            name = message.name
            if _is_unknown(name):
                continue
            yield _split_fields(name, message.fields, DevFieldDefinition)
    except FitCRCError as error:
        log.crc_mismatches.append(f"file ({error})")
    log.fit_files = max(1, log.fit_files)


#: Backend name -> decode function.
BACKENDS: dict[str, Backend] = {"fitdecode": _decode_fitdecode, "fitparse": _decode_fitparse}


def backend_version(name: str) -> str:
    """Installed version of the backend's package."""
    return version(name)
