#!/usr/bin/env python3
"""The long reliability runs, one after another, with their figures.

- fuzz: each fuzz target for --fuzz-seconds (reliability/fuzz.sh);
- crash: tests/crash.rs with --crash-rounds kills of `index` and of
  `serve --watch` at random moments;
- load: `serve` on the 201.6 MB archive, wrk with 64 connections for
  --load-seconds over a mix of good and bad requests, every answer counted
  by status;
- soak: the same mix for --soak-seconds, the server's memory sampled
  every 5 s.

Writes reliability/results/PART.json for each part it runs (fuzz, crash,
load) and prints a summary. Started by
reliability/run, which installs wrk and builds what is needed.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench import free_port, load_queries, make_quotes, prepare, wait_http, wrk  # noqa: E402


def log(*args, sep=" "):
    print("reliability:", *args, sep=sep, file=sys.stderr, flush=True)


def run_logged(cmd, env=None, log_file=None):
    """Runs cmd, keeping its output in log_file; returns (exit code, seconds, output)."""
    started = time.time()
    p = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    output = p.stdout + p.stderr
    if log_file:
        Path(log_file).write_text(output)
    return p.returncode, time.time() - started, output


def mix(corpus):
    """The requests of the load: (path, expected status), good and bad."""
    good = [("/api/search?" + urllib.parse.urlencode({"q": q["query"], "limit": 10}), 200)
            for q in load_queries()]
    good.append(("/api/search?" + urllib.parse.urlencode({"q": "venus trans", "mode": "typing"}), 200))
    exact, close = make_quotes(corpus, n=10)
    good += [("/api/quote?" + urllib.parse.urlencode({"text": t}), 200) for t in exact + close]
    good += [("/api/sources", 200), ("/healthz", 200), ("/", 200)]
    bad = [
        ("/api/search?q=%22unbalanced", 400),
        ("/api/search?q=a%20AND%20(b", 400),
        ("/api/search?q=", 400),
        ("/api/search", 400),
        ("/api/search?q=" + "x" * 4097, 400),
        ("/api/search?q=" + "%28" * 101 + "a", 400),
        ("/api/search?q=venus&limit=0", 400),
        ("/api/search?q=venus&limit=100000", 400),
        ("/api/search?q=venus&offset=99999999", 400),
        ("/api/search?q=venus&limit=ten", 400),
        ("/api/search?q=venus&source=nobody-at-all", 400),
        ("/api/search?q=%E2%80%AE%CC%81%F0%9F%98%80%00", 200),
        ("/api/quote?text=", 400),
        ("/api/quote?text=venus&style=vancouver", 400),
        ("/api/passages/..%2F..%2Fetc%2Fpasswd", 404),
        ("/api/passages/no-such-page%23p1", 404),
        ("/api/nothing", 404),
    ]
    return good, bad


def check_mix(base, requests):
    """Each request of the mix, once: its status must be the expected one."""
    import http.client
    wrong = []
    u = urllib.parse.urlsplit(base)
    for path, expected in requests:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        if r.status != expected:
            wrong.append({"path": path[:120], "expected": expected, "got": r.status,
                          "body": body[:200].decode("utf-8", "replace")})
    return wrong


def rss_mb(pid, kind="VmRSS"):
    """Resident memory in MB: VmRSS in all, RssAnon (the heap and stacks) or
    RssFile (pages of mapped files, here the index, which the kernel may drop)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) / 1024
    return None


def load(args, work, results):
    binary = args.binary
    corpus, _, pages = prepare(work)
    index = work / "reliability-index"
    log(f"indexing {pages} pages")
    subprocess.run([binary, "index", "--threads", "2", "--corpus", corpus, "--index", index],
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--corpus", corpus,
                               "--index", index], stdout=subprocess.DEVNULL,
                              stderr=open(work / "serve.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz")
        good, bad = mix(corpus)
        wrong = check_mix(base, good + bad)
        results["mix"] = {"good": len(good), "bad": len(bad), "wrong_status": wrong}
        log(f"mix: {len(good)} good and {len(bad)} bad requests; {len(wrong)} with another status")
        # One bad request for every two good ones.
        paths = []
        for i, (path, _) in enumerate(good):
            paths.append(path)
            if i % 2 == 1:
                paths.append(bad[(i // 2) % len(bad)][0])
        if args.load_seconds:
            log(f"load: 64 connections for {args.load_seconds} s")
            r = wrk(base, paths, 64, args.load_seconds, work, statuses=True)
            r["rss_mb_after"] = rss_mb(server.pid)
            r["anon_mb_after"] = rss_mb(server.pid, "RssAnon")
            results["load"] = r
            log(f"load: {r['requests']} requests, {r['rps']:.0f}/s, p99 {r['p99_us'] / 1000:.1f} ms, "
                f"statuses {r['statuses']}")
        if args.soak_seconds:
            samples = []
            stop = threading.Event()

            def sample():
                started = time.time()
                while not stop.is_set():
                    samples.append((round(time.time() - started, 1), rss_mb(server.pid),
                                    rss_mb(server.pid, "RssAnon"), rss_mb(server.pid, "RssFile")))
                    stop.wait(5)

            sampler = threading.Thread(target=sample)
            sampler.start()
            log(f"soak: 64 connections for {args.soak_seconds} s, memory sampled every 5 s")
            try:
                r = wrk(base, paths, 64, args.soak_seconds, work, statuses=True)
            finally:
                stop.set()
                sampler.join()
            minute = [x for x in samples if x[0] <= 60]
            last = [x for x in samples if x[0] >= samples[-1][0] - 60]
            r["rss_mb"] = {
                "first_minute_max": max(x[1] for x in minute),
                "last_minute_max": max(x[1] for x in last),
                "anon_first_minute_max": max(x[2] for x in minute),
                "anon_last_minute_max": max(x[2] for x in last),
                "file_first_minute_max": max(x[3] for x in minute),
                "file_last_minute_max": max(x[3] for x in last),
                "max": max(x[1] for x in samples),
                "samples": [{"s": t, "rss": a, "anon": b, "file": c} for t, a, b, c in samples],
            }
            results["soak"] = r
            log(f"soak: {r['requests']} requests, p99 {r['p99_us'] / 1000:.1f} ms, "
                f"statuses {r['statuses']}; resident memory, most in the first minute and the last: "
                f"{r['rss_mb']['first_minute_max']:.0f} and {r['rss_mb']['last_minute_max']:.0f} MB, "
                f"of which heap {r['rss_mb']['anon_first_minute_max']:.0f} and "
                f"{r['rss_mb']['anon_last_minute_max']:.0f} MB, mapped index "
                f"{r['rss_mb']['file_first_minute_max']:.0f} and {r['rss_mb']['file_last_minute_max']:.0f} MB")
        results["server_alive"] = server.poll() is None
        wait_http(base + "/healthz", seconds=10)
    finally:
        server.terminate()
        server.wait(timeout=60)
    results["server_log_panics"] = (work / "serve.log").read_text().count("panicked")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", default="/tmp/citeindex-bench", help="where the archive is unpacked")
    p.add_argument("--fuzz-seconds", type=int, default=300, help="per fuzz target")
    p.add_argument("--crash-rounds", type=int, default=100, help="kills per crash test")
    p.add_argument("--load-seconds", type=int, default=60)
    p.add_argument("--soak-seconds", type=int, default=600)
    p.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "citeindex",
                   help="the citeindex binary for the load and soak")
    p.add_argument("--out", type=Path, default=REPO / "reliability" / "results",
                   help="where the results go")
    p.add_argument("--only", choices=["fuzz", "crash", "load"], action="append",
                   help="run only these parts (repeatable)")
    args = p.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    parts = args.only or ["fuzz", "crash", "load"]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    results = {}

    def save(part, figures):
        figures = {"started": started, "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}, **figures}
        (out / f"{part}.json").write_text(json.dumps(figures, indent=1) + "\n")
        results.update(figures)

    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    if "fuzz" in parts and args.fuzz_seconds:
        code, seconds, output = run_logged(["bash", str(REPO / "reliability" / "fuzz.sh"),
                                            str(args.fuzz_seconds)], log_file=work / "fuzz.log")
        fuzz = {"exit": code, "seconds": round(seconds),
                "summary": [l for l in output.splitlines() if l.startswith("fuzz:")]}
        save("fuzz", {"fuzz": fuzz})
        log(f"fuzz: exit {code} after {seconds:.0f} s", *fuzz["summary"], sep="\n  ")
    if "crash" in parts and args.crash_rounds:
        started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        code, seconds, output = run_logged(
            ["cargo", "test", "--locked", "--test", "crash", "--", "--nocapture", "--test-threads", "1"],
            env={"CITEINDEX_CRASH_ROUNDS": str(args.crash_rounds)}, log_file=work / "crash.log")
        crash = {"exit": code, "seconds": round(seconds), "rounds": args.crash_rounds,
                 "summary": [l for l in output.splitlines()
                             if "kills within" in l or "CITEINDEX_CRASH_SEED" in l]}
        save("crash", {"crash": crash})
        log(f"crash: exit {code} after {seconds:.0f} s", *crash["summary"], sep="\n  ")
    if "load" in parts:
        started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        figures = {}
        load(args, work, figures)
        save("load", figures)
    log(f"wrote {out}/")
    failed = (results.get("fuzz", {}).get("exit", 0) != 0
              or results.get("crash", {}).get("exit", 0) != 0
              or results.get("mix", {}).get("wrong_status")
              or results.get("server_log_panics", 0)
              or ("server_alive" in results and not results["server_alive"]))
    for part in ("load", "soak"):
        r = results.get(part)
        if r:
            unexpected = {s: n for s, n in r["statuses"].items() if s not in ("200", "400", "404")}
            if unexpected or r["timeouts"] or r["read_errors"] or r["connect_errors"]:
                failed = True
                log(f"{part}: unexpected answers {unexpected}, {r['timeouts']} timeouts, "
                    f"{r['read_errors']} read errors, {r['connect_errors']} connect errors")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
