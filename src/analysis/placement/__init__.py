"""Where an experiment measures: targets and scratch directories (targets.py), the per-target
context and loop (place.py), the simulated cross-OS share (share.py, passthrough.py), its
models (models.py) and their calibration (calibrate.py, microbench.py)."""
