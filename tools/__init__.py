"""Developer tools for myokinetics: test-data generators that are not part of the package.

``tools.fitgen`` writes real FIT files (through ``fit-tool``) for the bundled sample and for the
FIT reader's edge-case tests.
"""
