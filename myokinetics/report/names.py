"""Human names and units of the load totals; the variant (formula, constants) goes to a footnote."""

from __future__ import annotations

from typing import Any

__all__ = ["TOTALS", "Footnotes", "variant_of"]

#: Totals key -> (name a person reads, unit). Order: the header card's order.
TOTALS: dict[str, tuple[str, str]] = {
    "trimp": ("TRIMP", "a.u."),
    "hrss": ("HRSS", "a.u."),
    "energy_kcal": ("energy", "kcal"),
    "epoc_l": ("EPOC", "L O₂"),
    "trimp_edwards": ("Edwards TRIMP", "a.u."),
    "tss_coggan": ("TSS (power)", "a.u."),
    "np_w": ("normalized power", "W"),
    "rmssd_ms": ("RMSSD", "ms"),
    "dfa_alpha1_median": ("DFA α1 (median)", ""),
}


def variant_of(key: str, variants: dict[str, Any]) -> str | None:
    """The variant text of a totals key (``trimp`` -> ``trimp_banister_lit_neutral``)."""
    value = variants.get(key)
    return value if isinstance(value, str) else None


class Footnotes:
    """Numbered footnotes of a page: the same text gets the same number."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def ref(self, text: str | None) -> int | None:
        """The footnote number of ``text`` (added when new); None for no text."""
        if not text:
            return None
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1
