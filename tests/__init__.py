"""A regular package, so ``tests.conftest`` wins over the stray top-level ``tests`` package that
some wheels install into site-packages (garmin-fit-sdk, a test dependency, ships one)."""
