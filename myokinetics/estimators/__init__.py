"""Time-resolved model estimates of myokines and systemic metabolic effects, with bands."""
