"""wsl-lab: measure where files, volumes and models should live."""
