"""The write-up: a post in the blog's Jekyll format, every number taken from processed tables."""
