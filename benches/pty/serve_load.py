#!/usr/bin/env python3
"""Load on `folio serve`: many readers through OpenSSH's ssh, some of them typing.

    python3 benches/pty/serve_load.py target/release/folio PATH [SESSIONS] [TYPING]

Starts `folio serve PATH --open` on a free port, connects SESSIONS readers (default
100) with `ssh -tt` in pseudo-terminals (80x24), waits for each one's first frame,
then has TYPING of them (default 20) type 10 keys a second for 10 seconds (j, k, a
search typed and cleared). Prints the server's resident memory before and after the
sessions (per idle session), and, from the server's log (each session reports its
first frame and how long its keys took from bytes in to frame out), the first
frames and the typing sessions' key times. A slow reader (FOLIO_BENCH_SLOW=1) reads
its pty at 1 KB/s meanwhile.
"""
import os
import pty
import re
import select
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def connect(port):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("ssh", ["ssh", "-tt", "-p", str(port), "-F", "/dev/null",
                          "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                          "-o", "LogLevel=ERROR", "-o", "PreferredAuthentications=none",
                          "reader@127.0.0.1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def main():
    args = [a for a in sys.argv[1:]]
    if len(args) < 2:
        sys.exit(__doc__)
    binary, path = args[0], args[1]
    sessions = int(args[2]) if len(args) > 2 else 100
    typing = int(args[3]) if len(args) > 3 else 20
    state = tempfile.mkdtemp()
    port = free_port()
    log = open(os.path.join(state, "serve.log"), "w+")
    server = subprocess.Popen(
        [binary, "serve", path, "--open", "--listen", f"127.0.0.1:{port}",
         "--host-key", os.path.join(state, "host_key"), "--max-sessions", str(sessions + 10),
         "--per-address", str(sessions + 10), "--per-minute", str(sessions * 3)],
        stdout=subprocess.DEVNULL, stderr=log,
        env={**os.environ, "FOLIO_STATE_DIR": state, "XDG_CONFIG_HOME": state})
    while True:
        log.seek(0)
        if "listening on" in log.read():
            break
        if server.poll() is not None:
            sys.exit("folio serve ended")
        time.sleep(0.05)
    time.sleep(1)
    before = rss_mb(server.pid)
    readers = []
    for _ in range(sessions):
        readers.append(connect(port))
        time.sleep(0.02)
    # Drain every pty until each has drawn its list.
    seen = {fd: b"" for _, fd in readers}
    deadline = time.time() + 60
    while time.time() < deadline and not all(b"Articles" in v for v in seen.values()):
        r, _, _ = select.select(list(seen), [], [], 0.1)
        for fd in r:
            try:
                seen[fd] = (seen[fd] + os.read(fd, 65536))[-4096:]
            except OSError:
                pass
    drawn = sum(b"Articles" in v for v in seen.values())
    time.sleep(2)
    after = rss_mb(server.pid)
    print(f"sessions: {drawn}/{sessions} drawn; server RSS {before:.0f} MB before, {after:.0f} MB with them: "
          f"{(after - before) / max(drawn, 1):.2f} MB per idle session")
    slow = os.environ.get("FOLIO_BENCH_SLOW") == "1"
    keys = [b"j", b"j", b"k", b"/", "中".encode(), "俄".encode(), b"\x7f", b"\x7f", b"\x1b", b"j"]
    typists = [fd for _, fd in readers[:typing]]
    slow_fd = readers[-1][1] if slow else None
    start = time.time()
    n = 0
    while time.time() - start < 10:
        key = keys[n % len(keys)]
        for fd in typists + ([slow_fd] if slow_fd is not None else []):
            try:
                os.write(fd, key)
            except OSError:
                pass
        n += 1
        tick_end = start + n * 0.1
        while time.time() < tick_end:
            fds = [fd for fd in seen if fd != slow_fd]
            r, _, _ = select.select(fds, [], [], max(0, tick_end - time.time()))
            for fd in r:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
        if slow_fd is not None and select.select([slow_fd], [], [], 0)[0]:
            try:
                os.read(slow_fd, 100)  # 1 KB/s
            except OSError:
                pass
    print(f"typed {n} keys in each of {len(typists)} sessions at 10 a second; server RSS {rss_mb(server.pid):.0f} MB")
    for pid, fd in readers:
        try:
            os.write(fd, b"q")
        except OSError:
            pass
    # Drain what is left (the slow reader's too) so that every ssh can end.
    end = time.time() + 3
    while time.time() < end:
        r, _, _ = select.select(list(seen), [], [], 0.1)
        for fd in r:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    server.terminate()
    server.wait(timeout=10)
    log.seek(0)
    text = log.read()
    firsts = [float(x) for x in re.findall(r"first frame ([0-9.]+) ms", text)]
    p50s = [float(a) for a, _ in re.findall(r"[1-9][0-9]* keys answered, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms", text)]
    p99s = [float(b) for _, b in re.findall(r"[1-9][0-9]* keys answered, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms", text)]
    if firsts:
        firsts.sort()
        print(f"first frame after the shell request: median {statistics.median(firsts):.1f} ms, "
              f"worst {firsts[-1]:.1f} ms ({len(firsts)} sessions)")
    if p50s:
        print(f"keys, bytes in to frame out (typing sessions): p50 median {statistics.median(p50s):.2f} ms "
              f"(worst {max(p50s):.2f}), p99 median {statistics.median(p99s):.2f} ms, "
              f"worst {max(p99s):.2f} ms ({len(p50s)} sessions)")
    print(f"server exit status {server.returncode}")


if __name__ == "__main__":
    main()
