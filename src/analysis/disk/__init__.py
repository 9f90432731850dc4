"""The disk-placement experiment: Bonnie++ and fio on native directories and shares.

Which job stands for which of the post's figures (fio.py says how each job keeps its cache
condition; every figure and table prints it beside the job's name):

- draft, Bonnie++ per-char write and read (`putc`, `getc`; 540k/s vs 6k/s on `/mnt/c`):
  fio `byte_write`, `byte_read`, one write()/read() per byte, buffered (warm); Bonnie++'s own
  when a profile turns its per-char tests on (`fast = false`).
- draft, Bonnie++ block write and read (`put_block`, `get_block`; 728m/s vs 50.6m/s):
  fio `seq_write`, `seq_read`, 1 MiB with O_DIRECT (cold); and Bonnie++.
- draft, Bonnie++ rewrite: Bonnie++ only.
- draft, Bonnie++ file creation (`seq_create`; `+++++` vs ~800/s): fio `file_create`, new
  4 KiB files (cold); and Bonnie++.
- draft, Bonnie++ stat and delete: fio `file_stat`, stat() of the names just made (warm);
  and Bonnie++.
- published, fio randrw 4k ×8 qd64 O_DIRECT, WSL on its ext4 vs NTFS through drvfs (209 vs
  37.5 MiB/s read, 209 vs 37.6 write): fio `published_randrw` (cold), its reads and writes
  reported apart, its runtime scaled by the profile.
- published, the two Windows-side rows (NTFS from Windows, WSL's ext4 through `\\\\wsl$`):
  not measurable here, they need a Windows process; the post shows the post's own figures.
- no row of the post: fio `rand_read`, `rand_write` (4 KiB, O_DIRECT, cold) and
  `rand_read_warm` (the same reads from memory).

A rate from a job that ran under fio's 100 ms (`fio.MIN_TIMED_MS`), or a Bonnie++ `+++++`, is
a lower bound and is drawn and written as one.
"""
