#!/usr/bin/env python3
"""Files arriving in bulk under a running folio: how soon they show, and how keys feel meanwhile.

    python3 benches/pty/burst.py target/release/folio DIR SOURCE

Starts folio on DIR in a pseudo-terminal (120x40, or FOLIO_BENCH_SIZE) and waits for
it to load. Then copies every file of SOURCE (e.g. a 10,000-article collection made
by ../shared/bench/gen_corpus.py) into a new folder under DIR as fast as the disk
allows, as an rsync does, while pressing j and k alternately every 50 ms. Reports
the keystroke latency (key written to the first byte of the redraw) before and
during the burst, when the copy ended, and when folio said "N new". The copied
folder is removed afterwards (and folio's answer to that timed too).
The archive store is the one FOLIO_CACHE_DIR names (or the default).
"""
import fcntl
import os
import pty
import re
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402
from screen import Screen  # noqa: E402

COLS, ROWS = (int(n) for n in os.environ.get("FOLIO_BENCH_SIZE", "120x40").split("x"))
# The list's border ends with the number of articles: "┌ Articles ──── 10,000 ┐".
COUNT = re.compile(r"Articles ─+ ([\d,]+) ┐")


def read_some(fd, wait):
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


def key_latency(fd, screen, key):
    """Seconds from writing `key` to the first byte folio writes after it."""
    # Whatever folio was writing before the key is not its answer.
    while True:
        more = read_some(fd, 0)
        if not more:
            break
        screen.feed(more)
    sent = time.time()
    os.write(fd, key)
    got = read_some(fd, 2.0)
    now = time.time()
    screen.feed(got)
    # The rest of that frame.
    while True:
        more = read_some(fd, 0.005)
        if not more:
            break
        screen.feed(more)
    return now - sent


def count(screen):
    match = COUNT.search(screen.line(0))
    return int(match.group(1).replace(",", "")) if match else None


def files_of(source):
    for folder, _, names in os.walk(source):
        for name in sorted(names):
            yield os.path.join(folder, name)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, target, source = sys.argv[1:]
    inputs.require(binary, [target, source])
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["FOLIO_STATE_DIR"] = tempfile.mkdtemp()
        os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
        os.execv(binary, [binary, target])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    screen = Screen(COLS, ROWS)
    start = time.time()
    while "loaded in" not in screen.line(ROWS - 1) and time.time() - start < 120:
        screen.feed(read_some(fd, 1.0))
    print(f"loaded after {time.time() - start:.2f} s")
    time.sleep(1.5)  # the watch starts, the catch-up look ends
    before = count(screen)

    idle = [key_latency(fd, screen, k) for k in [b"j", b"k"] * 20]
    print(f"keys before the burst: median {statistics.median(idle) * 1000:.1f} ms, "
          f"max {max(idle) * 1000:.1f} ms ({len(idle)} keys)")

    into = os.path.join(target, f"burst-{os.getpid()}")
    copied = {}

    def copy():
        n = 0
        for path in files_of(source):
            dest = os.path.join(into, os.path.relpath(path, source))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(path, dest)
            n += 1
        copied["files"] = n
        copied["ended"] = time.time()

    worker = threading.Thread(target=copy)
    began = time.time()
    worker.start()
    during = []
    shown = None
    while time.time() - began < 120:
        during.append(key_latency(fd, screen, b"j" if len(during) % 2 == 0 else b"k"))
        if "ended" in copied and count(screen) == before + copied["files"]:
            shown = time.time()
            break
        time.sleep(0.05)
    worker.join()
    ended = copied["ended"] - began
    print(f"copied {copied['files']:,} files in {ended:.2f} s")
    if shown:
        print(f"all of them listed {shown - began:.2f} s after the copy began "
              f"({shown - copied['ended']:.2f} s after it ended); status: "
              f"{screen.line(ROWS - 1).split('quit')[-1].strip()}")
    else:
        print(f"not all listed after 120 s: {count(screen)} articles, expected {before + copied['files']}")
    print(f"keys during the burst: median {statistics.median(during) * 1000:.1f} ms, "
          f"p95 {sorted(during)[int(len(during) * 0.95)] * 1000:.1f} ms, "
          f"max {max(during) * 1000:.1f} ms ({len(during)} keys)")

    removed_at = time.time()
    shutil.rmtree(into)
    gone = None
    while time.time() - removed_at < 60:
        screen.feed(read_some(fd, 0.2))
        if count(screen) == before:
            gone = time.time() - removed_at
            break
    print(f"removed again: the list was back to {before:,} after {gone:.2f} s"
          if gone else "the removal was not seen")
    os.kill(pid, 9)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
