"""Read FIT activity files (chained, damaged and unfinished ones included)."""

from __future__ import annotations

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.fit_assemble import FitAssembler, summarize_warnings
from myokinetics.ingest.fit_backends import BACKENDS, Backend, DecodeLog, backend_version
from myokinetics.ingest.fit_fast import decode_fast
from myokinetics.ingest.fit_header import parse_header, repair_data_size
from myokinetics.ingest.fit_scan import Unsupported
from myokinetics.ingest.quality import clean_samples

__all__ = ["FIT_BACKENDS", "read_fit"]

#: Every backend name: the vectorised decoder (default) and the two decoder packages.
FIT_BACKENDS = ("fast", *sorted(BACKENDS))

# KeyboardInterrupt and SystemExit must stop us; anything else a decoder raises (including
# plain ValueError from fitdecode on the Lezyne file) only ends the decoding.
_STOP = (KeyboardInterrupt, SystemExit, GeneratorExit)


def read_fit(data: bytes, source: str, backend: str = "fast") -> Activity:
    """Decode FIT bytes into an :class:`Activity`.

    Parameters
    ----------
    data : bytes
        The FIT content (already decompressed).
    source : str
        Names the file in warnings and errors.
    backend : {"fast", "fitdecode", "fitparse"}
        The decoder. ``"fast"`` decodes records column-wise
        (:mod:`~myokinetics.ingest.fit_fast`) and gives the same Activity as ``"fitdecode"``;
        on a structure it does not handle it uses fitdecode and says why in
        ``meta.decoder_fallback``.

    Returns
    -------
    Activity
        ``status="partial"`` with a warning when decoding stopped early; what was decoded up to
        that point is kept.

    Raises
    ------
    InputError
        Not a FIT file, an unknown backend, or nothing at all could be decoded.
    """
    if backend not in FIT_BACKENDS:
        raise InputError(source, f"unknown FIT backend {backend!r}",
                         f"choose one of {', '.join(FIT_BACKENDS)}")
    header = parse_header(data)
    if header is None:
        raise InputError(source, "not a FIT file (no valid FIT header)",
                         "check that this is a watch export")
    warnings: list[str] = []
    check_crc = True
    if header.needs_repair:
        warnings.append(f"header declares {header.data_size} data bytes but the file holds "
                        f"{len(data) - header.header_size}: unfinished recording, read to the end")
        data = repair_data_size(data, header)
        check_crc = False

    assembler = FitAssembler()
    log = DecodeLog()
    fallback: str | None = None
    if backend == "fast":
        try:
            fast = decode_fast(data, check_crc, log)
        except Unsupported as reason:
            backend, fallback, log = "fitdecode", str(reason), DecodeLog()
        except Exception as failure:  # never worse than fitdecode: use it
            backend, log = "fitdecode", DecodeLog()
            fallback = f"fast decoder failed: {_describe(failure)}"
        else:
            for message in fast.messages:
                assembler.add(*message)
            assembler.add_columns(fast.times, fast.columns, fast.developer, fast.rr_seconds,
                                  (fast.untimed_placed, fast.untimed_skipped))
    error: BaseException | None = None
    if backend != "fast":
        error = _decode(BACKENDS[backend], data, check_crc, log, assembler)

    if error is not None and assembler.message_count == 0:
        raise InputError(source, f"FIT data unreadable ({_describe(error)})",
                         "the file is damaged beyond recovery; re-export it from the device")
    if log.crc_mismatches:
        warnings.append("CRC mismatch in " + "; ".join(log.crc_mismatches)
                        + ": the file was altered or damaged, values may be wrong")
    warnings.extend(summarize_warnings(log.decoder_warnings))
    if error is not None:
        warnings.append(f"decoding stopped early ({_describe(error)}); kept the "
                        f"{assembler.record_count} records read before that")
    if assembler.record_count == 0:
        warnings.append("no timed record messages: the file holds no samples")

    parts = assembler.build()
    samples, quality_warnings = clean_samples(parts.samples)
    return Activity(
        samples=samples,
        rr=parts.rr,
        laps=parts.laps,
        sessions=parts.sessions,
        developer=parts.developer,
        pauses=parts.pauses,
        meta=ActivityMeta(
            sport=parts.sport,
            sub_sport=parts.sub_sport,
            start=parts.start,
            utc_offset=parts.utc_offset,
            manufacturer=parts.manufacturer,
            product=parts.product,
            serial=parts.serial,
            source=source,
            format="fit",
            decoder=backend,
            # the fast decoder takes its profile (and the few non-record messages) from fitdecode
            decoder_version=backend_version("fitdecode" if backend == "fast" else backend),
            decoder_fallback=fallback,
            time_base=parts.time_base,  # type: ignore[arg-type]
        ),
        warnings=warnings + parts.warnings + quality_warnings,
        status="partial" if error is not None else "ok",
    )


def _decode(decoder: Backend, data: bytes, check_crc: bool, log: DecodeLog,
            assembler: FitAssembler) -> BaseException | None:
    """Feed every message to the assembler; the error that stopped the decoder, if any."""
    try:
        for message in decoder(data, check_crc, log):
            assembler.add(*message)
    except _STOP:
        raise
    except BaseException as caught:  # decoders raise anything, see fit-parsers.md §6.2
        return caught
    return None


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {text}"[:200]
