#!/usr/bin/env python3
"""Seconds and peak memory of `folio list` on each hostile file, beside ordinary articles of the same sizes.

    python3 benches/hostile.py target/release/folio [--big]

Generates every kind of hostile article the loader must contain (deep or
pathological nesting, billion-laughs front matter, tags, entities and links
repeated hundreds of thousands of times, huge titles, many attributes, cut
UTF-8), and ordinary articles of 0.3, 3 and (with --big) 64 MB for comparison.
Each file is loaded alone; then the whole folder at once, which must load every
ordinary article. Nothing here is committed: the files are made in a temporary
folder and removed.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time


def seed(title, body, url="https://example.org/x"):
    return f"<!--1690562527000-->\n[{title}]({url})\n------\n\n{body}\n"


ZH = "<p>美国情报机构近日发现，中国已成为俄罗斯越来越重要的经济及军事伙伴。</p>"


def hostile():
    laughs = ["a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for i in range(1, 10):
        laughs.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    n = 200_000
    cases = {
        "yaml-billion-laughs.md": "---\ntitle: laughs\n" + "\n".join(laughs) + "\n---\n" + seed("t", ZH),
        "div-self-closed.html": seed("t", ZH + "<div/>" * n),
        "stray-end-tags.html": seed("t", ZH + "<span></b>" * n),
        "bogus-comments.html": seed("t", ZH + "<div><!x>" * n),
        "bang-comments.html": seed("t", ZH + "<div><!--x--!>" * n),
        "deep-divs.html": seed("t", "<div>" * 40_000 + "x" + "</div>" * 40_000),
        "entities.html": seed("t", "<p>" + "&amp;" * 500_000 + "</p>"),
        "links-10k.html": seed("t", "".join(f'<p><a href="https://x.org/{i}">l{i}</a></p>' for i in range(10_000))),
        "same-link-100k.html": seed("t", '<a href="https://x.org/">l</a>' * 100_000),
        "title-5mb.md": seed("长" * 1_700_000, ZH),
        "html-title-5mb.html": "<html><head><title>" + "长" * 1_700_000 + "</title></head><body>" + ZH + "</body></html>",
        "h1-of-600k-tags.html": "<html><body><h1>" + "<i>w</i> " * 600_000 + "</h1><p>x</p></body></html>",
        "attributes-100k.html": seed("t", "<p " + " ".join(f"a{i}=x" for i in range(100_000)) + ">x</p>"),
        "tables-100k.html": seed("t", "<table>x</table>" * 100_000),
        "wide-table.html": seed("t", "<table>" + ("<tr>" + "<td>x</td>" * 100 + "</tr>") * 3000 + "</table>"),
        "formatting-200x50k.html": seed("t", "<p>" + "".join(f"<b x={i}>" for i in range(200)) + "<p>x</p>" * 50_000),
    }
    for tag in ["p", "b", "a href=x", "br", "li", "td", "img alt=x", "blockquote", "iframe src=x", "select"]:
        name = tag.split()[0]
        cases[f"repeat-{name}.html"] = seed("t", ZH + f"<{tag}>x</{name}>" * 300_000)
    out = {name: text.encode() for name, text in cases.items()}
    cut = seed("截断", ZH * 3).encode()
    out["utf8-cut-in-a-character.md"] = cut[:-8] + b"\xe4"
    return out


def ordinary(big):
    para = "<p>中俄关系处于历史最好时期，两国在能源、贸易、科技等领域的合作不断深化。" \
           "<a href=\"https://example.org/a\">相关报道</a>，<em>分析人士</em>认为这一趋势仍将持续。</p>\n"
    sizes = {"ordinary-300k.md": 300_000, "ordinary-3mb.md": 3_000_000}
    if big:
        sizes["ordinary-64mb.md"] = 64_000_000
    return {name: seed("ordinary", para * (size // len(para.encode()) + 1)).encode()
            for name, size in sizes.items()}


def run(binary, path):
    start = time.time()
    proc = subprocess.Popen([binary, "list", "-v", path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "FOLIO_STATE_DIR": tempfile.gettempdir()})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.time() - start
    err = proc.stderr.read().decode(errors="replace")
    outcome = "degraded" if "degraded:" in err else "skipped" if "skipped:" in err else "loaded"
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), outcome, err


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--generate":
        # In a process of its own, so that the one measuring stays small: a child's
        # peak memory counts what it inherited before exec.
        files = {**hostile(), **ordinary("--big" in sys.argv)}
        for name, data in files.items():
            with open(os.path.join(sys.argv[2], name), "wb") as f:
                f.write(data)
        return
    binary = sys.argv[1]
    if not os.access(binary, os.X_OK):
        sys.exit(f"no folio binary at {binary}: build it first with cargo build --release")
    folder = tempfile.mkdtemp(prefix="folio-hostile-")
    try:
        subprocess.run([sys.executable, __file__, "--generate", folder, *sys.argv[2:]], check=True)
        print(f"{'file':30} {'MB':>7} {'seconds':>8} {'peak MB':>8} {'peak/size':>9}  outcome")
        for name in sorted(os.listdir(folder)):
            size = os.path.getsize(os.path.join(folder, name)) / 1e6
            secs, peak, code, outcome, _ = run(binary, os.path.join(folder, name))
            print(f"{name:30} {size:7.2f} {secs:8.2f} {peak:8.0f} {peak / max(size, 1e-9):9.1f}  {outcome}"
                  + ("" if code == 0 else f" (exit {code})"))
        secs, peak, code, _, err = run(binary, folder)
        summary = [l for l in err.splitlines() if l.startswith("folio:")]
        print(f"whole folder: {secs:.2f} s, peak {peak:.0f} MB, exit {code}: {summary[-1] if summary else err}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
