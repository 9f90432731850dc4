"""What every experiment's run does at its places: target after target, the share mounted
where a target has one, a scratch directory of ours in each (place.py), after reclaiming what
dead runs left there (reclaim.py)."""
