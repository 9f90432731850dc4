"""The dev-loop experiment's parameters, typed and checked (profile section [devloop])."""

from __future__ import annotations

from dataclasses import dataclass

from ..cliopts import Opt

WATCH_MODES = ("events", "polling")
SIDES = ("placement", "other")


@dataclass(frozen=True)
class DevloopParams:
    targets: tuple = ()  # LABEL=PATH or LABEL=fuse:PATH; empty = native dir + its share
    share_model: str = "wsl2-9p"  # how a fuse: target behaves
    posts: int = 50  # posts in the generated site
    images_per_post: int = 1  # a small PNG each, referenced from the post
    code_blocks: int = 2  # fenced code blocks per post
    words: int = 400  # words of text per post
    seed: int = 42  # site content seed
    reps: int = 1  # full builds measured per placement (median reported)
    watch: tuple = WATCH_MODES  # jekyll build --watch with change events, and --force_polling
    sides: tuple = SIDES  # edit through the placement, and from the other side
    build_timeout_s: float = 600.0  # a full build longer than this fails the target
    change_timeout_s: float = 20.0  # a change not noticed within this is "not delivered"
    poll_s: float = 0.01  # how often the harness looks for the rebuilt page
    git: bool = True  # git status and git add -A on the same files, cold and warm
    profile: str = ""  # the profile these came from (set by the loader)

    def check(self) -> tuple[str, str] | None:
        """(key, what is wrong) for the first bad value, else None."""
        for key in ("posts", "reps"):
            if getattr(self, key) < 1:
                return key, "must be at least 1"
        for key in ("images_per_post", "code_blocks", "words"):
            if getattr(self, key) < 0:
                return key, "must not be negative"
        if not set(self.watch) <= set(WATCH_MODES):
            return "watch", f"takes only {', '.join(WATCH_MODES)}"
        if not set(self.sides) <= set(SIDES):
            return "sides", f"takes only {', '.join(SIDES)}"
        for key in ("build_timeout_s", "change_timeout_s", "poll_s"):
            if getattr(self, key) <= 0:
                return key, "must be more than 0"
        return None


# `wsl-lab run devloop`'s own options (see cliopts.run_command)
OPTIONS = {
    "posts": Opt("Posts in the generated site."),
    "change_timeout_s": Opt("Seconds an edit may take to show before it is 'not delivered'."),
}
