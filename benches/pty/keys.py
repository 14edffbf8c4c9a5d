#!/usr/bin/env python3
"""Keystroke latency of title search through a pseudo-terminal, beside fzf.

    python3 benches/pty/keys.py target/release/folio PATH [--fzf]

Starts folio on PATH in a 120x40 pty (FOLIO_BENCH_SIZE), waits for the load, opens
the search box and types queries one key at a time; for each key, the time from
writing it to the last byte of the frame folio draws for it (the frame is over
when nothing more comes for 30 ms; that wait is not counted). With --fzf, the same
keys are typed into `fzf` reading the same titles (FOLIO_BENCH_QUERIES=a,b,c types
other queries) (`folio list`'s titles), measured
the same way (fzf answers a key in two frames, the query at once, the results when
its matcher ends: its answer is over after 150 ms of quiet). Prints the median,
90th percentile and worst per program; FOLIO_BENCH_VERBOSE=1 prints every key.
"""
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402

COLS, ROWS = (int(n) for n in os.environ.get("FOLIO_BENCH_SIZE", "120x40").split("x"))
# Queries as typed: Chinese, pinyin initials and full pinyin, English, two terms.
QUERIES = ["中俄", "普京", "xjp", "pujing", "tlp", "zhonge", "trade", "美国 选举", "新冠疫情", "taiwan"]
if os.environ.get("FOLIO_BENCH_QUERIES"):
    QUERIES = os.environ["FOLIO_BENCH_QUERIES"].split(",")
QUIET = 0.03


def spawn(argv, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return pid, fd


def drain(fd, until=None, timeout=60):
    """Reads until `until` appears (or quiet for QUIET s if None); returns the bytes."""
    got = b""
    end = time.time() + timeout
    while time.time() < end:
        wait = QUIET if until is None else 0.5
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            if until is None or until in got:
                return got
            continue
        try:
            got += os.read(fd, 1 << 16)
        except OSError:
            return got
        if until is not None and until in got:
            # Let the rest of that frame come.
            until = None
    return got


def key_latency(fd, key, quiet=QUIET):
    """Seconds from writing `key` to the last byte of the answer (the answer is over
    when nothing more comes for `quiet` s)."""
    drain(fd)
    sent = time.time()
    os.write(fd, key)
    last = None
    while True:
        ready, _, _ = select.select([fd], [], [], quiet if last else 2.0)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        last = time.time()
    return (last or time.time()) - sent


def measure(fd, clear, quiet=QUIET):
    times = []
    for query in QUERIES:
        typed = []
        for ch in query:
            typed.append(key_latency(fd, ch.encode(), quiet))
        if os.environ.get("FOLIO_BENCH_VERBOSE"):
            print(f"  {query}: " + " ".join(f"{t * 1000:.1f}" for t in typed))
        times.extend(typed)
        key_latency(fd, clear, quiet)
    return times


def report(name, times):
    times = sorted(times)
    p90 = times[int(len(times) * 0.9)]
    print(f"{name}: {len(times)} keys, median {statistics.median(times) * 1000:.1f} ms, "
          f"p90 {p90 * 1000:.1f} ms, worst {times[-1] * 1000:.1f} ms")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    binary, path = args
    inputs.require(binary, [path])
    env = {
        "TERM": "xterm-256color",
        "FOLIO_STATE_DIR": tempfile.mkdtemp(),
        "XDG_CONFIG_HOME": tempfile.mkdtemp(),
    }
    pid, fd = spawn([binary, "--no-watch", path], env)
    drain(fd, until=b"loaded in")
    time.sleep(1)
    key_latency(fd, b"/")
    report("folio", measure(fd, b"\x15"))  # Ctrl-U clears the box
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    if "--fzf" in sys.argv:
        listed = subprocess.run([binary, "list", path], capture_output=True, text=True, env={**os.environ, **env})
        titles = tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt")
        for line in listed.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) > 3:
                titles.write(parts[3] + "\n")
        titles.close()
        pid, fd = spawn(["sh", "-c", f"exec fzf < {titles.name}"], env)
        drain(fd, until=b"/", timeout=30)
        time.sleep(3)  # fzf reads its input in the background
        # fzf shows the query at once and its results when its search ends: the
        # answer is over after a longer quiet.
        report("fzf", measure(fd, b"\x15", quiet=0.15))
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.unlink(titles.name)


if __name__ == "__main__":
    main()
