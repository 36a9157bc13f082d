"""The fast FIT decoder: the same Activity as fitdecode on every corpus file, else a fallback
that says why."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics.ingest.fit_crc import fit_crc
from tests.conftest import CORPUS, corpus_manifest
from tests.ingest.fit_gate import assert_same_activity, read_or_error

ROWS = [row for row in corpus_manifest() if row["format"] == "FIT"]
FIT_FILES = sorted(row["name"] for row in ROWS)
#: Whole files the fast decoder leaves to fitdecode (besides damaged ones): an 8-byte
#: (two-value) enhanced_speed and enhanced_altitude in records, which the assembler makes NaN.
BROKEN = {row["name"] for row in ROWS if row["broken"]}
FALLBACK = {"gc__FR55-CoreTemp-Walk.fit": ": 8 bytes of uint32"}


@pytest.mark.skipif(not FIT_FILES, reason="../shared/fit-corpus is absent")
@pytest.mark.parametrize("name", FIT_FILES)
def test_fast_equals_fitdecode_on_the_corpus(name: str) -> None:
    data = (CORPUS / name).read_bytes()
    fast = read_or_error(data, "fast")
    assert_same_activity(fast, read_or_error(data, "fitdecode"))
    if not isinstance(fast, str):
        assert (fast.meta.decoder == "fitdecode") == (fast.meta.decoder_fallback is not None)
        assert not (fast.meta.decoder_fallback or "").startswith("fast decoder failed")
        if name in FALLBACK:
            assert FALLBACK[name] in fast.meta.decoder_fallback
        elif name not in BROKEN:
            assert fast.meta.decoder == "fast", fast.meta.decoder_fallback


@pytest.mark.parametrize("size", [0, 1, 1000, 4095, 4096, 9_001])
def test_crc_equals_the_bytewise_fit_crc(size: int) -> None:
    data = np.random.default_rng(size).integers(0, 256, size + 7, dtype=np.uint8).tobytes()
    crc = 0
    for byte in data[3 : 3 + size]:  # the FIT SDK's nibble-table CRC
        for nibble in (byte & 0xF, byte >> 4):
            table = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                     0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
            crc = ((crc >> 4) & 0x0FFF) ^ table[crc & 0xF] ^ table[nibble]
    assert fit_crc(data, 3, 3 + size) == crc
