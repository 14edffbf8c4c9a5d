#!/usr/bin/env python3
"""Seconds from starting folio in a pseudo-terminal (120x40, or FOLIO_BENCH_SIZE) to its first frame,
to the first article on screen, and to the end of the background load.

    python3 benches/pty/startup.py target/release/folio PATH [PATH...]

One measurement per PATH (e.g. collections made by ../shared/bench/gen_corpus.py).
FOLIO_BENCH_STATE=DIR starts each run with a copy of that state folder.
The archive store is the one FOLIO_CACHE_DIR names (or the default): run twice for
a warm start. A load that says nothing of its texts within 2 s of its end took them
with it (full text = loaded); FOLIO_BENCH_COLD=1 says so at once.
"""
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402

# FOLIO_BENCH_SIZE=COLSxROWS (default 120x40).
COLS, ROWS = (int(n) for n in os.environ.get("FOLIO_BENCH_SIZE", "120x40").split("x"))

# A date column (YYYY-MM-DD) is drawn only on article rows.
ARTICLE_ROW = re.compile(rb"\d{4}-\d\d-\d\d ")


# "· text 1.1 s": when the texts the store held were all in (the line is redrawn
# by difference, so cursor moves may sit between the characters).
TEXTS = re.compile(rb"text(?:\x1b\[[0-9;]*[A-Za-z]|[ .])*[0-9]")

# The archive store is empty (or not used): texts come with the load.
COLD = os.environ.get("FOLIO_BENCH_COLD") == "1"


def startup(binary, path):
    start = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        # A fresh state and no config: every run starts alike.
        # FOLIO_BENCH_STATE: a state folder to start with (copied, never changed).
        state = tempfile.mkdtemp()
        if os.environ.get("FOLIO_BENCH_STATE"):
            shutil.copytree(os.environ["FOLIO_BENCH_STATE"], state, dirs_exist_ok=True)
        os.environ["FOLIO_STATE_DIR"] = state
        os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
        os.execv(binary, [binary, path])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    got = b""
    marks = {}
    wanted = {
        "first frame": lambda g: b"Articles" in g,
        "first article": lambda g: ARTICLE_ROW.search(g) is not None,
        "loaded": lambda g: b"loaded in" in g,
        # A load that took heads from the archive store says when the texts (full-text
        # search) were ready; a cold load converts them all (FOLIO_BENCH_COLD=1).
        "full text": lambda g: TEXTS.search(g) is not None or (COLD and b"loaded in" in g),
    }
    while len(marks) < len(wanted):
        # A load that took the texts with it (a small archive, or a cold store) says
        # nothing more: full text is ready when it is loaded.
        waited = 2 if "loaded" in marks else 120
        ready, _, _ = select.select([fd], [], [], waited)
        if not ready:
            if "loaded" in marks and "full text" not in marks:
                marks["full text"] = marks["loaded"]
                continue
            break
        try:
            got += os.read(fd, 65536)
        except OSError:
            break
        now = time.time() - start
        for name, seen in wanted.items():
            if name not in marks and seen(got):
                marks[name] = now
    # Peak resident memory so far (VmHWM), read before the end.
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    marks["peak MB"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    # Let the system take the memory back before the next run.
    time.sleep(1)
    return marks


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary = sys.argv[1]
    inputs.require(binary, sys.argv[2:])
    for path in sys.argv[2:]:
        marks = startup(binary, path)
        figures = ", ".join(
            f"{name} {t:.0f}" if name == "peak MB" else f"{name} {t:.3f} s" for name, t in marks.items()
        )
        print(f"{path}: {figures}")
