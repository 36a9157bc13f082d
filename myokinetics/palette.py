"""The colours of every plot (PNG and HTML): Okabe & Ito's palette, safe for colour-blind
readers."""

from __future__ import annotations

__all__ = ["OKABE_ITO"]

#: Okabe & Ito (2008): blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow,
#: black (last, for reference lines).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")
