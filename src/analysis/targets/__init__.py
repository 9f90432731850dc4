"""Which places a run uses: a target and its checks (target.py), the default places of this
host (defaults.py), our scratch directories in them (scratch.py), and `wsl-lab targets`
(plan.py, cli.py)."""
