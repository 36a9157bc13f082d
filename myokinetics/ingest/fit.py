"""Read FIT activity files (chained, damaged and unfinished ones included)."""

from __future__ import annotations

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.fit_assemble import FitAssembler, summarize_warnings
from myokinetics.ingest.fit_backends import BACKENDS, DecodeLog, backend_version
from myokinetics.ingest.fit_header import parse_header, repair_data_size
from myokinetics.ingest.quality import clean_samples

__all__ = ["read_fit"]

# KeyboardInterrupt and SystemExit must stop us; anything else a decoder raises (including
# plain ValueError from fitdecode on the Lezyne file) only ends the decoding.
_STOP = (KeyboardInterrupt, SystemExit, GeneratorExit)


def read_fit(data: bytes, source: str, backend: str = "fitdecode") -> Activity:
    """Decode FIT bytes into an :class:`Activity`.

    Parameters
    ----------
    data : bytes
        The FIT content (already decompressed).
    source : str
        Names the file in warnings and errors.
    backend : {"fitdecode", "fitparse"}
        The decoder.

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
    if backend not in BACKENDS:
        raise InputError(source, f"unknown FIT backend {backend!r}",
                         f"choose one of {', '.join(sorted(BACKENDS))}")
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
    error: BaseException | None = None
    try:
        for message in BACKENDS[backend](data, check_crc, log):
            assembler.add(*message)
    except _STOP:
        raise
    except BaseException as caught:  # decoders raise anything, see fit-parsers.md §6.2
        error = caught

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
            decoder_version=backend_version(backend),
            time_base=parts.time_base,  # type: ignore[arg-type]
        ),
        warnings=warnings + parts.warnings + quality_warnings,
        status="partial" if error is not None else "ok",
    )


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {text}"[:200]
