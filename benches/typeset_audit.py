#!/usr/bin/env python3
"""Counts typesetting defects in `folio show` over a corpus, to compare two builds.

    python3 benches/typeset_audit.py target/release/folio ../shared/corpus [--width 41] [--list NAME]

Runs `folio show` on every article file under the corpus (one file at a time, with
an archive store of its own) and counts, over all of them:

  stray CJK spaces   a space between two CJK characters that the source does not have
  figure repeats     a figure's caption printed more than once
  figure run-ons     an image's alt text and its caption on one line
  quote lines bare   a wrapped line of a quote without its "> "
  embeds missing     <iframe>/<video>/<audio> in the source with no [video: …]/[embed: …] line
  rules missing      <hr> in the source with no rule line
  spacers lost       <p><br></p> in the source with no double blank line
  list lines flush   a wrapped line of a list item not indented under its text
  title repeated     the body's first line is the title again
  raw headings       body lines starting with "#"
  entities in header "&amp;", "&#38;" … left in the title or byline
  escaped URL        a header URL shown with %E…-encoded characters
  broken URLs        lines of the Links list that are not "[n] URL" (a URL cut by wrapping)
  ^{ superscripts    "^{" in the text
  marks in words     a link's [n] between two letters

--list NAME names the files where defect NAME was counted.
"""
import html
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
STRAY = re.compile(f"([{CJK}]) ([{CJK}])")
MARK_IN_WORD = re.compile(r"[A-Za-z]\[\d+\][A-Za-z]")


def show(binary, path, width, cache):
    env = dict(os.environ, FOLIO_CACHE_DIR=cache, FOLIO_STATE_DIR=cache,
               XDG_CONFIG_HOME=cache)
    listed = subprocess.run([binary, "list", path], capture_output=True, text=True, env=env)
    ident = listed.stdout.split("\t", 1)[0].strip()
    if not ident:
        return None
    out = subprocess.run([binary, "show", "--width", str(width), ident, path],
                         capture_output=True, text=True, env=env)
    return out.stdout


def source_text(raw):
    """The source's visible text, roughly: tags out, entities decoded, white space kept."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def audit(raw, out, counts, path=None, listing=None):
    before = dict(counts)
    audit_one(raw, out, counts)
    if listing and counts[listing] > before.get(listing, 0):
        print(f"{listing}: {path} (+{counts[listing] - before.get(listing, 0)})")


def audit_one(raw, out, counts):
    lines = out.split("\n")
    try:
        blank = lines.index("")
    except ValueError:
        return
    header, body = lines[:blank], lines[blank + 1:]
    if "Links:" in body:
        at = len(body) - 1 - body[::-1].index("Links:")
        links, body = body[at + 1:], body[:at]
    else:
        links = []
    text = source_text(raw)
    squeezed = re.sub(r"[ \t]+", " ", text)
    for m in STRAY.finditer("\n".join(body)):
        if f"{m.group(1)} {m.group(2)}" not in squeezed:
            counts["stray CJK spaces"] += 1
    for fig in re.findall(r"(?is)<figure\b.*?</figure>", raw):
        cap = re.search(r"(?is)<figcaption[^>]*>(.*?)</figcaption>", fig)
        caption = " ".join(source_text(cap.group(1)).split()) if cap else ""
        alt = re.search(r'(?is)<img[^>]*\balt="([^"]+)"', fig)
        alt = " ".join(html.unescape(alt.group(1)).split()) if alt else ""
        if len(caption) >= 16:
            key = caption[:30]
            if "\n".join(body).count(key) > 1:
                counts["figure repeats"] += 1
            if alt and len(alt) >= 6 and any(run_on(l, alt[:6], caption[:6]) for l in body):
                counts["figure run-ons"] += 1
    for prev, line in zip(body, body[1:]):
        wrapped = len(prev) > 0 and display_width(prev) >= WIDTH - 6
        if prev.startswith("> ") and wrapped and line.strip() and not line.startswith(">"):
            counts["quote lines bare"] += 1
        item = re.match(r"^(\s*)(\* |\d+\. )", prev)
        if item and wrapped and line.strip() and not line.startswith(" " * (len(item.group(0)))):
            if not re.match(r"^\s*(\* |\d+\. )", line):
                counts["list lines flush"] += 1
    embeds = len(re.findall(r'(?is)<(iframe|video|audio)\b[^>]*\bsrc="(?!data:)[^"]+"', raw))
    # Wrapped at a narrow width, a label runs over lines: read it joined.
    joined = out.replace("\n", " ")
    shown = len(re.findall(r"\[(video|audio|embed|map|document|chart)(:\s+[^\]]*)?\]", joined))
    counts["embeds missing"] += max(0, embeds - shown)
    rules = len(re.findall(r"(?i)<hr\b", raw))
    drawn = sum(1 for l in body if l.strip().startswith("───"))
    counts["rules missing"] += max(0, rules - drawn)
    spacers = len(re.findall(r"(?i)<p>\s*<br\s*/?>\s*</p>", raw))
    doubles = sum(1 for a, b, c in zip(body, body[1:], body[2:]) if a and not b and not c)
    counts["spacers lost"] += max(0, spacers - doubles)
    title = header[0] if header else ""
    fold = lambda s: re.sub(r"[\W_]+", "", s).lower()
    first = next((l for l in body if l.strip()), "")
    if title and fold(first.lstrip("# ")) == fold(title):
        counts["title repeated"] += 1
    counts["raw headings"] += sum(1 for l in body if re.match(r"^#{1,6} ", l))
    if any(re.search(r"&(amp|#\d+|#x[0-9a-f]+|quot|lt|gt);", l) for l in header[:2]):
        counts["entities in header"] += 1
    if any(re.search(r"%[89A-F][0-9A-F]", l) for l in header[1:] if l.startswith("http")):
        counts["escaped URL"] += 1
    counts["broken URLs"] += sum(1 for l in links if l and not re.match(r"^\[\d+\] \S+$", l))
    counts["^{ superscripts"] += out.count("^{")
    counts["marks in words"] += len(MARK_IN_WORD.findall("\n".join(body)))


def run_on(line, alt, caption):
    """The alt text and, after it, the caption on one line."""
    i = line.find(alt)
    return i >= 0 and line.find(caption, i + len(alt)) >= 0


def display_width(s):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


WIDTH = 41


def main():
    global WIDTH
    args = sys.argv[1:]
    listing = None
    if "--list" in args:
        i = args.index("--list")
        listing = args[i + 1]
        del args[i:i + 2]
    if "--width" in args:
        i = args.index("--width")
        WIDTH = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    binary, corpus = args
    counts = Counter()
    files = 0
    with tempfile.TemporaryDirectory() as cache:
        for folder, _, names in os.walk(corpus):
            for name in sorted(names):
                path = os.path.join(folder, name)
                if not name.endswith((".md", ".html", ".htm", ".txt")):
                    continue
                out = show(binary, path, WIDTH, cache)
                if out is None:
                    continue
                files += 1
                with open(path, encoding="utf-8", errors="replace") as f:
                    audit(f.read(), out, counts, path, listing)
    print(f"{files} files, width {WIDTH}")
    for name in ["stray CJK spaces", "figure repeats", "figure run-ons", "quote lines bare",
                 "embeds missing", "rules missing", "spacers lost", "list lines flush",
                 "title repeated", "raw headings", "entities in header", "escaped URL",
                 "broken URLs", "^{ superscripts", "marks in words"]:
        print(f"  {name:20} {counts[name]}")


if __name__ == "__main__":
    main()
