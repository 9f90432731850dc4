"""Where the user's own things live: `wsl-lab where` (paths) and `wsl-lab audit` (the project,
containers' mounts and volumes, compose files, model caches, wsl-lab's own data), each place
classified by its file system, with what it costs from measured runs."""
