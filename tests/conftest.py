"""Shared fixtures: the read-only ../shared folder and its FIT corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "fit-corpus"
SAMPLE_FIT = REPO / "samples" / "run-intervals-45min.fit"


def require_shared(relative: str) -> Path:
    """Path of a file in ../shared, or skip the test with the reason when it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} is absent (shared material is not in this checkout)")
    return path


def corpus_manifest() -> list[dict[str, str]]:
    """Rows of ../shared/fit-corpus/MANIFEST.tsv, or [] when the corpus is absent."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder; skips the test when it is absent."""
    if not SHARED.exists():
        pytest.skip("../shared is absent (shared material is not in this checkout)")
    return SHARED
