"""The simulated cross-OS share: its models (models.py), the FUSE layer that serves requests
by them (passthrough.py), mounting and unmounting it (mount.py), calibrating a model on this
machine (calibrate.py, microbench.py), running a command inside it (trial.py), and the commands
`wsl-lab share` and `wsl-lab calibrate` (cli.py)."""
