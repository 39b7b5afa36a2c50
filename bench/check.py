#!/usr/bin/env python3
"""The draft benchmark of `citeindex check`: a draft made from the archive
with planted quotations, the verdicts scored against what was planted, and
the time of the whole check (p50 over runs).

The draft is 5,000 words of the archive's own prose (its quotation marks
taken out) with 40 quotations of sentences from its articles, eight of
each kind: exact, with case and punctuation changed (both should be
`verified`), with words dropped or swapped (`misquoted`), credited to
another article's author (`misattributed`), and invented from shuffled
words (`not-found`).

    python3 bench/check.py --corpus /tmp/c/philtrans --index IDX [--bin target/release/citeindex]
"""

import argparse
import random
import re
import statistics
import subprocess
import sys
import json
import time
from pathlib import Path

KINDS = ["exact", "changed", "misquoted", "misattributed", "invented"]
EXPECTED = {
    "exact": "verified",
    "changed": "verified",
    "misquoted": "misquoted",
    "misattributed": "misattributed",
    "invented": "not-found",
}
QUOTE_MARKS = "“”‘’\"«»"


def articles(corpus):
    """(author, body) of the archive's articles with a named author."""
    for path in sorted(Path(corpus).glob("*.md")):
        text = path.read_text(errors="replace")
        m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
        if not m:
            continue
        author = re.search(r'^author: "(.*)"', m.group(1), re.M)
        if not author:
            continue
        yield author.group(1), m.group(2)


def sentences(body):
    """Plain sentences of 10 to 24 words: letters, commas and spaces."""
    for para in body.split("\n\n"):
        para = " ".join(para.split())
        for s in re.split(r"(?<=[.;:])\s+", para):
            s = s.rstrip(".;:")
            words = s.split()
            if 10 <= len(words) <= 24 and re.fullmatch(r"[A-Za-z ,]+", s):
                yield s


def surname(author):
    words = [w for w in re.split(r"[\s.]+", author) if w]
    return words[-1] if words else author


def changed(text, rng):
    """The same words, case and punctuation changed."""
    words = text.split()
    i = rng.randrange(len(words))
    words[i] = words[i].upper() if words[i].islower() else words[i].lower()
    return " ".join(words).replace(",", "")


def misquoted(text, rng):
    words = text.replace(",", "").split()
    if rng.random() < 0.5:
        del words[rng.randrange(1, len(words) - 1)]
    else:
        i = rng.randrange(1, len(words) - 2)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def make_draft(corpus, seed, quotes=40, words=5000):
    rng = random.Random(seed)
    pool = [(a, b) for a, b in articles(corpus) if len(a.split()) > 1 and a != "Anonymous"]
    rng.shuffle(pool)
    picked, filler, authors = [], [], []
    for author, body in pool:
        found = list(sentences(body))
        if found and len(picked) < quotes:
            picked.append((author, rng.choice(found)))
        elif found:
            filler.extend(found)
        authors.append(author)
        if len(picked) >= quotes and len(filler) > 1000:
            break
    rng.shuffle(filler)
    vocabulary = sorted({w.lower() for s in filler[:400] for w in s.replace(",", "").split()})
    truth, paragraphs = [], []
    for n, (author, text) in enumerate(picked):
        kind = KINDS[n % len(KINDS)]
        name = surname(author)
        if kind == "exact":
            quoted = text
        elif kind == "changed":
            quoted = changed(text, rng)
        elif kind == "misquoted":
            quoted = misquoted(text, rng)
        elif kind == "misattributed":
            quoted = text
            others = [a for a in authors if surname(a) != name and len(a.split()) > 1]
            name = surname(rng.choice(others))
        else:
            quoted = " ".join(rng.choice(vocabulary) for _ in range(12))
        truth.append(kind)
        prose = " ".join(filler.pop() + "." for _ in range(3)).replace(",", ",")
        prose = "".join(c for c in prose if c not in QUOTE_MARKS)
        paragraphs.append(f"{prose} As {name} wrote, “{quoted}.”")
    draft = "\n\n".join(paragraphs)
    while len(draft.split()) < words and filler:
        extra = "".join(c for c in filler.pop() if c not in QUOTE_MARKS)
        paragraphs.append(extra + ".")
        draft = "\n\n".join(paragraphs)
    return draft, truth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--bin", default="target/release/citeindex")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--draft", default="/tmp/citeindex-check-draft.md")
    ap.add_argument("--json", help="also write the figures here, for bench/report.py")
    a = ap.parse_args()
    draft, truth = make_draft(a.corpus, a.seed)
    Path(a.draft).write_text(draft)
    cmd = [a.bin, "--corpus", a.corpus, "--index", a.index, "--no-update", "check", a.draft, "--json"]
    times, report = [], None
    for _ in range(a.runs):
        start = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if run.returncode not in (0, 1):
            sys.exit(f"check failed ({run.returncode}): {run.stderr}")
        report = json.loads(run.stdout)
    judged = [q for q in report["quotations"] if q["verdict"] not in ("too-short", "term", "scare", "title")]
    right, misses = 0, []
    for n, kind in enumerate(truth):
        got = judged[n]["verdict"] if n < len(judged) else "missing"
        if got == EXPECTED[kind]:
            right += 1
        else:
            misses.append((kind, got, judged[n]["text"] if n < len(judged) else ""))
    print(f"draft: {len(draft.split())} words, {len(truth)} planted quotations, "
          f"{len(report['quotations'])} found, {len(judged)} judged")
    print(f"verdicts right: {right}/{len(truth)} = {100 * right / len(truth):.1f}%")
    for kind in KINDS:
        n = sum(1 for k in truth if k == kind)
        wrong = sum(1 for k, _, _ in misses if k == kind)
        print(f"  {kind:14} {n - wrong}/{n}")
    print(f"time: p50 {statistics.median(times) * 1000:.0f} ms over {a.runs} runs "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    for kind, got, text in misses:
        print(f"  miss: planted {kind}, got {got}: “{text[:90]}”")
    if a.json:
        by_kind = {}
        for kind in KINDS:
            n = sum(1 for k in truth if k == kind)
            wrong = sum(1 for k, _, _ in misses if k == kind)
            by_kind[kind] = {"planted": n, "right": n - wrong, "expected": EXPECTED[kind]}
        Path(a.json).write_text(json.dumps({
            "words": len(draft.split()), "planted": len(truth), "found": len(report["quotations"]),
            "judged": len(judged), "right": right, "by_kind": by_kind, "runs": a.runs,
            "p50_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000,
            "max_ms": max(times) * 1000,
            "misses": [{"planted": k, "got": g, "words": t[:90]} for k, g, t in misses],
        }, indent=1))


if __name__ == "__main__":
    main()
