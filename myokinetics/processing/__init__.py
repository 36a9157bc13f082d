"""Cleaning, intensity and exercise load, computed by stateful stages that consume chunks."""
