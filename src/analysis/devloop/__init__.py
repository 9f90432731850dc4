"""The dev-loop experiment (the published post's Jekyll case): a generated site per place,
its full build, `jekyll --watch` with edits from both sides of the share, and git, by place."""
