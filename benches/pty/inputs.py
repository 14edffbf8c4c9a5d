"""Checks the inputs of the pty benchmarks: clear messages instead of tracebacks."""
import os
import sys

HOW = ("make one with the project's generator, e.g.\n"
       "    python3 ../shared/bench/gen_corpus.py --count 10000 --out /tmp/c10k\n"
       "(see README.md, \"Tests and benchmarks\")")


def require(binary, paths):
    """Exits with a message when the binary or any collection is missing."""
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        sys.exit(f"no folio binary at {binary}: build it first with cargo build --release")
    for path in paths:
        if not os.path.exists(path):
            sys.exit(f"benchmark input missing: {path} does not exist; {HOW}")
