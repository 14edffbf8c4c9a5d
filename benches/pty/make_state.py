#!/usr/bin/env python3
"""Writes a state folder with N entries (one in three read, one in fifty starred),
for timing start-up with a large state.

    python3 benches/pty/make_state.py --count 100000 --out /tmp/st100k
    FOLIO_BENCH_STATE=/tmp/st100k python3 benches/pty/startup.py target/release/folio DIR
"""
import argparse
import hashlib
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    lines = ["folio-state 1"]
    for i in range(args.count):
        read, starred = i % 3 == 0, i % 50 == 0
        flags = ("r" if read else "") + ("s" if starred else "") or "-"
        stamp = 1795330000000
        lines.append(
            f"{i * 7919:012x}\t{flags}\t{i % 40}\t{i % 500}"
            f"\t{stamp if read else 0}\t{stamp if starred else 0}\t{stamp}"
        )
    body = "\n".join(lines) + "\n"
    digest = hashlib.sha1(body.encode()).hexdigest()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "state.tsv"), "w") as f:
        f.write(body + f"end\t{args.count}\t{digest}\n")


if __name__ == "__main__":
    main()
