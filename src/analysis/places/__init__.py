"""What a place is: the mount table (mounts.py), a path's class by its file system
(classify.py), this host and whether it is WSL with a Windows drive (host.py), and the role a
place plays in a run's tables (roles.py)."""
