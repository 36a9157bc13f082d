"""Cleaning, intensity and exercise load, computed by stateful stages that consume chunks.

Public entry points: :class:`LoadPipeline` (files and live streams alike), the daily
aggregates :func:`daily_load` and :func:`pmc`, and the HRV helpers :func:`dfa_alpha1` and
:func:`lipponen_tarvainen`.
"""

from myokinetics.processing.hrv import dfa_alpha1
from myokinetics.processing.pipeline import LoadPipeline, PipelineStep
from myokinetics.processing.pmc import daily_load, ewma_alpha, monotony_strain, pmc
from myokinetics.processing.rr import FatMaxxerFilter, lipponen_tarvainen

__all__ = [
    "FatMaxxerFilter",
    "LoadPipeline",
    "PipelineStep",
    "daily_load",
    "dfa_alpha1",
    "ewma_alpha",
    "lipponen_tarvainen",
    "monotony_strain",
    "pmc",
]
