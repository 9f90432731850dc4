"""Where an experiment measures: the simulated cross-OS share, its models, and calibration."""
