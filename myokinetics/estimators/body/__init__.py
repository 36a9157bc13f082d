"""The model's step, one module per body system (the organ grouping of DESIGN.md).

Each module's ``step(s, p, d, e)`` advances the states it owns over one step and returns its
raw outputs by curve name. :func:`myokinetics.estimators.dynamics.advance` calls them in the
order their couplings need (every coupling reads the state at the start of the step, kept in
the :class:`~myokinetics.estimators.body.drive.Drive`). A new myokine is one function here plus
its parameters in ``data/parameters.toml``.
"""
