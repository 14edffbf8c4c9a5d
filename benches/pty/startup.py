#!/usr/bin/env python3
"""Seconds from starting folio in a pseudo-terminal (120x40, or FOLIO_BENCH_SIZE) to its first frame,
to the first article on screen, and to the end of the background load (the final
order, the title index and every text in: full-text search is ready), with the
peak resident memory.

    python3 benches/pty/startup.py target/release/folio PATH [PATH...]

One measurement per PATH (e.g. collections made by ../shared/bench/gen_corpus.py).
FOLIO_BENCH_STATE=DIR starts each run with a copy of that state folder.
The archive store is the one FOLIO_CACHE_DIR names (or the default): run twice for
a warm start. FOLIO_BENCH_COLD=1 gives each run an empty store of its own (a cold
start, as on the first run or with the store cleared).
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


# The archive store is empty (FOLIO_BENCH_COLD=1): each run gets one of its own.
COLD = os.environ.get("FOLIO_BENCH_COLD") == "1"


def peak(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def startup(binary, path):
    # A cold start: an empty archive store of its own, removed afterwards.
    cold_cache = tempfile.mkdtemp() if COLD else None
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
        if cold_cache:
            os.environ["FOLIO_CACHE_DIR"] = cold_cache
        os.execv(binary, [binary, path])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    got = b""
    marks = {}
    wanted = {
        "first frame": lambda g: b"Articles" in g,
        "first article": lambda g: ARTICLE_ROW.search(g) is not None,
        # The final order, the title index and every text: full-text search is ready.
        "loaded": lambda g: b"loaded in" in g,
    }
    while len(marks) < len(wanted):
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            break
        try:
            got += os.read(fd, 65536)
        except OSError:
            break
        now = time.time() - start
        for name, seen in wanted.items():
            if name not in marks and seen(got):
                marks[name] = now
    # Peak resident memory (VmHWM) when loaded, and 3 s later (a cold start writes
    # the store after its load).
    marks["peak MB"] = peak(pid)
    end = time.time() + 3
    while time.time() < end:
        if select.select([fd], [], [], max(0, end - time.time()))[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                break
    marks["peak MB 3 s later"] = peak(pid)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    if cold_cache:
        shutil.rmtree(cold_cache, ignore_errors=True)
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
            f"{name} {t:.0f}" if name.startswith("peak MB") else f"{name} {t:.3f} s" for name, t in marks.items()
        )
        print(f"{path}: {figures}")
