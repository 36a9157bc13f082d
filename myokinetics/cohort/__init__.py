"""Cohorts: many participants' exports analysed on dask.distributed (docs/cohort.md).

:func:`read_manifest` reads the participants; :func:`process_participant` imports one
participant's export and computes their days (one Dask task); :func:`run_cohort` runs every
participant on a ``distributed.Client`` and writes cohort.json and the overview PNG.
"""

from myokinetics.cohort.manifest import PROFILE_FIELDS, Participant, read_manifest
from myokinetics.cohort.participant import CohortSettings, process_participant
from myokinetics.cohort.run import run_cohort

__all__ = ["PROFILE_FIELDS", "CohortSettings", "Participant", "process_participant",
           "read_manifest", "run_cohort"]
