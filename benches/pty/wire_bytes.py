#!/usr/bin/env python3
"""Bytes folio writes to its terminal for the first frame and for single keystrokes.

    [FOLIO_BENCH_SIZE=80x24] python3 benches/pty/wire_bytes.py target/release/folio [PATH...]

Runs folio in a pseudo-terminal and counts what it writes after each key, waiting
until it has been quiet for 0.3 s. Compare with `less` on the same text.
"""
import os
import pty
import select
import struct
import sys
import tempfile
import termios
import fcntl
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402

# FOLIO_BENCH_SIZE=COLSxROWS (default 120x40).
COLS, ROWS = (int(n) for n in os.environ.get("FOLIO_BENCH_SIZE", "120x40").split("x"))

KEYS = [
    ("k at the top (no change)", b"k"),
    ("j in the list", b"j"),
    ("k in the list", b"k"),
    ("Enter (focus reader)", b"\r"),
    ("j: reader one line", b"j"),
    ("Space: reader page", b" "),
    ("Tab back, / open search", b"\t/"),
    ("search key 中", "中".encode()),
    ("search key 俄", "俄".encode()),
]


def main():
    argv = sys.argv[1:]
    if not argv:
        sys.exit(__doc__)
    inputs.require(argv[0], [a for a in argv[1:] if not a.startswith("-")])
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        # A fresh state and no config: every run starts alike.
        os.environ["FOLIO_STATE_DIR"] = tempfile.mkdtemp()
        os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def drain(wait):
        got, end = b"", time.time() + wait
        while True:
            ready, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if not ready:
                if time.time() >= end:
                    return got
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return got
            if not chunk:
                return got
            got += chunk
            end = max(end, time.time() + 0.3)

    print(f"{'first frame':28s} {len(drain(1.5)):7d} bytes")
    for label, key in KEYS:
        os.write(fd, key)
        print(f"{label:28s} {len(drain(0.4)):7d} bytes")
    os.kill(pid, 9)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
