#!/usr/bin/env python3
"""Seconds from closing folio's terminal (a dropped connection) to folio's exit.

    python3 benches/pty/hangup.py target/release/folio [PATH...]

Starts folio in a pseudo-terminal, waits for its first frame and a second more,
closes the terminal's other side and times the exit; prints the exit status (129: as by SIGHUP).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402


def main():
    argv = sys.argv[1:]
    if not argv:
        sys.exit(__doc__)
    inputs.require(argv[0], [a for a in argv[1:] if not a.startswith("-")])
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["FOLIO_STATE_DIR"] = tempfile.mkdtemp()
        os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    got = b""
    while b"Articles" not in got:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            sys.exit("no first frame")
        got += os.read(fd, 65536)
    # Hang up while folio waits for keys, as a dropped connection usually finds it.
    time.sleep(1)
    os.close(fd)
    start = time.time()
    _, status = os.waitpid(pid, 0)
    print(f"exit {os.waitstatus_to_exitcode(status)} after {time.time() - start:.3f} s")


if __name__ == "__main__":
    main()
