"""The myokinetics test suite (a regular package, so a dependency that ships a top-level
``tests`` package, as garmin-fit-sdk does, cannot shadow it)."""
