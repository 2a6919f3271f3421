# SPDX-License-Identifier: ISC
"""Sizes DIR/fill so that DIR's filesystem is PCT% used, as df counts it,
for the tests that push a small tmpfs over a threshold and back.

As a module: fill(dir, pct). As a script: fillfs.py DIR PCT.
"""
import os
import subprocess
import sys


def fill(logs, pct):
    path = logs + "/fill"
    vfs = os.statvfs(logs)
    total = vfs.f_blocks * vfs.f_frsize
    used = (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize
    mine = os.stat(path).st_blocks * 512 if os.path.exists(path) else 0
    want = max(0, (int(total * pct / 100) - (used - mine) + 4095) // 4096 * 4096)
    cur = os.stat(path).st_size if os.path.exists(path) else 0
    if want > cur:
        subprocess.run(["fallocate", "-l", str(want), path], check=True)
    else:
        subprocess.run(["truncate", "-s", str(want), path], check=True)


if __name__ == "__main__":
    fill(sys.argv[1], float(sys.argv[2]))
