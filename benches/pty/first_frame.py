#!/usr/bin/env python3
"""Seconds from starting folio in a 120x40 pseudo-terminal to its first frame.

    python3 benches/pty/first_frame.py target/release/folio PATH [PATH...]

One measurement per PATH (e.g. collections made by ../shared/bench/gen_corpus.py).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def first_frame(binary, path):
    start = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, path])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    got = b""
    while b"Articles" not in got:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            got += os.read(fd, 65536)
        except OSError:
            break
    elapsed = time.time() - start
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return elapsed


if __name__ == "__main__":
    binary = sys.argv[1]
    for path in sys.argv[2:]:
        print(f"{path}: {first_frame(binary, path):.2f} s to the first frame")
