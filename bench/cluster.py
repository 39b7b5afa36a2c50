#!/usr/bin/env python3
"""Past one machine: citeindex's passages in a three-node Typesense cluster.

Unpacks the 18F Jekyll site (`../shared/corpora/18f-jekyll.tar.zst`),
indexes it with citeindex, starts three Typesense 0.24.1 nodes on free
loopback ports, and in one run measures:

- `citeindex push typesense` of the whole site to the cluster (wall and CPU
  time, passages/s), and a second push with nothing changed;
- search latency over keep-alive HTTP, the same queries interleaved
  request by request: `citeindex serve`'s `/api/search` on the same index,
  the cluster's leader and one follower;
- quote look-ups, interleaved the same way: `citeindex serve`'s
  `/api/quote` on the index and `citeindex serve --engine typesense://…`
  on the cluster, with sentences taken from the site's passages as written
  and the same sentences with a word left out (close matches);
- a failover: the leader killed with SIGKILL, the two survivors searched
  for 20 s, a single-document import tried every 100 ms until one is taken,
  and a push of one new passage that names the dead leader first.

The figures go into bench/results/latest.json under "cluster" (the other
keys are kept); `python3 bench/report.py bench/results/latest.json
BENCHMARKS.md` writes them out.

    python3 bench/cluster.py --bin /tmp/rel/release/citeindex
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.dont_write_bytecode = True
import bench  # noqa: E402
from bench import percentile  # noqa: E402

REPO = bench.REPO
ARCHIVE = REPO.parent / "shared" / "corpora" / "18f-jekyll.tar.zst"
KEY = "cluster-bench-key"
COLLECTION = "f18"
PROBE = "probe"

# Words and phrases of the 18F site (each in 10 to 290 of its Markdown
# files, counted with `grep -ril`), the same string sent to every engine.
QUERIES = [
    ("word", "procurement"), ("word", "agile"), ("word", "accessibility"), ("word", "FedRAMP"),
    ("word", "privacy"), ("word", "modernization"), ("word", "hackathon"), ("word", "github"),
    ("word", "prototype"), ("word", "iterative"), ("word", "vendors"), ("word", "budget"),
    ("word", "stakeholders"), ("word", "DevOps"), ("word", "acquisition"),
    ("phrase", '"user research"'), ("phrase", '"open source"'), ("phrase", '"human-centered design"'),
    ("phrase", '"plain language"'), ("phrase", '"content strategy"'), ("phrase", '"usability testing"'),
    ("phrase", '"technical debt"'), ("phrase", '"design system"'), ("phrase", '"product owner"'),
    ("phrase", '"continuous integration"'), ("phrase", '"legacy systems"'),
    ("phrase", '"blanket purchase agreement"'), ("phrase", '"paperwork reduction act"'),
    ("phrase", '"presidential innovation fellows"'), ("phrase", '"modular contracting"'),
]

# Sentences looked up: this many passages of the site, taken at an even
# stride from the export, each cut to its first sentence of 8 to 24 words.
QUOTES = 30


def log(*args):
    bench.log("cluster:", *args)


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive HTTP/1.1 connection; a failure is status 0 and a new connection."""

    def __init__(self, port, headers=None, timeout=10):
        self.port, self.headers, self.timeout = port, headers or {}, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def get(self, path):
        try:
            self.conn.request("GET", path, headers=self.headers)
            r = self.conn.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            return 0, type(e).__name__.encode()

    def close(self):
        self.conn.close()


def request(port, method, path, body=None, timeout=5):
    """One request on a new connection: status (0 when none came) and body."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request(method, path, body=body, headers={"X-TYPESENSE-API-KEY": KEY})
        r = c.getresponse()
        out = r.status, r.read()
        c.close()
        return out
    except (OSError, http.client.HTTPException) as e:
        return 0, type(e).__name__.encode()


# ---------------------------------------------------------------- the cluster

class Node:
    # The single node's accounting, from /proc, reused as it is.
    cpu_s = bench.Typesense.cpu_s
    peak_rss_mb = bench.Typesense.peak_rss_mb

    def __init__(self, binary, nodes_file, data, peer, api):
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        self.data, self.api, self.peer = data, api, peer
        self.log = open(data.parent / f"{data.name}.log", "w")
        self.proc = subprocess.Popen(
            [binary, "--data-dir", data, "--api-key", KEY, "--api-address", "127.0.0.1",
             "--peering-address", "127.0.0.1", "--api-port", str(api), "--peering-port", str(peer),
             "--nodes", nodes_file, "--thread-pool-size", "4"],
            stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.api}"

    def alive(self):
        return self.proc.poll() is None

    def state(self):
        status, body = request(self.api, "GET", "/debug", timeout=2)
        return json.loads(body).get("state") if status == 200 else None

    def healthy(self):
        status, _ = request(self.api, "GET", "/health", timeout=2)
        return status == 200

    def documents(self, collection):
        status, body = request(self.api, "GET", f"/collections/{collection}", timeout=2)
        return json.loads(body).get("num_documents") if status == 200 else None

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class Cluster:
    def __init__(self, binary, work):
        while True:
            ports = [bench.free_port() for _ in range(6)]
            if len(set(ports)) == 6:
                break
        work.mkdir(parents=True, exist_ok=True)
        nodes_file = work / "nodes"
        nodes_file.write_text(",".join(f"127.0.0.1:{ports[2 * i]}:{ports[2 * i + 1]}" for i in range(3)))
        self.nodes = []
        started = time.perf_counter()
        try:
            for i in range(3):
                self.nodes.append(Node(binary, nodes_file, work / f"node{i}", ports[2 * i], ports[2 * i + 1]))
            while self.leader() is None or not all(n.healthy() for n in self.nodes):
                if time.perf_counter() - started > 90:
                    raise RuntimeError("the cluster elected no leader in 90 s")
                if not all(n.alive() for n in self.nodes):
                    raise RuntimeError(f"a Typesense node exited; logs in {work}")
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise
        self.ready_s = time.perf_counter() - started

    def leader(self):
        return next((n for n in self.nodes if n.alive() and n.state() == 1), None)

    def stop(self):
        for n in self.nodes:
            n.stop()


def wait_documents(nodes, collection, n, seconds=30):
    """Seconds until every node holds n documents (None: not in time)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if all(node.documents(collection) == n for node in nodes):
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


# ---------------------------------------------------------------- measures

CHILDREN = set()
STOP = threading.Event()


def timed_child(cmd):
    """Runs cmd: wall s, CPU s and peak RSS of the process (os.wait4's
    accounting, as /usr/bin/time reports it, but with the process itself a
    child of this one, so that it is killed when the run stops), stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        p = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err)
        CHILDREN.add(p)
        try:
            _, status, usage = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            p.wait()
            raise
        finally:
            CHILDREN.discard(p)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{err.read()[-3000:]}")
        return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                "stdout": out.read()}


def push(binary, site, index, urls):
    r = timed_child([binary, "--corpus", site, "--index", index, "push", "typesense", "--url", ",".join(urls),
                     "--api-key", KEY, "--collection", COLLECTION, "--json"])
    r["answer"] = json.loads(r.pop("stdout"))
    return r


def ts_path(query):
    return f"/collections/{COLLECTION}/documents/search?" + urllib.parse.urlencode(
        {"q": query, "query_by": "text,title,headings", "per_page": "10"})


def serve_path(query):
    return "/api/search?" + urllib.parse.urlencode({"q": query, "limit": 10})


def engine_spec(nodes):
    return "typesense://" + ",".join(f"127.0.0.1:{n.api}" for n in nodes) + f"/{COLLECTION}"


def quotations(binary, site, index):
    """QUOTES sentences of the site's prose as written, each also with one
    word left out: what a writer remembers exactly, and nearly."""
    out = subprocess.run([binary, "--corpus", site, "--index", index, "--no-update", "export"],
                         capture_output=True, text=True, check=True).stdout
    prose = []
    for line in out.splitlines():
        hit = json.loads(line)
        if hit["kind"] not in ("paragraph", "blockquote"):
            continue
        first = hit["text"].split(". ")[0].strip()
        words = first.split()
        if 8 <= len(words) <= 24 and not any(c in first for c in "[]()<>{}|*_`"):
            prose.append(first)
    stride = max(1, len(prose) // QUOTES)
    exact = prose[::stride][:QUOTES]
    close = [" ".join(w for i, w in enumerate(q.split()) if i != len(q.split()) // 2) for q in exact]
    return [("exact", q) for q in exact] + [("close", q) for q in close]


def quote_side_by_side(targets, quotes, rounds):
    """Every quotation once untimed on each target (its status and best
    passage), then `rounds` rounds, the targets in turn request by request."""
    seen = {name: {} for name in targets}
    for name, client in targets.items():
        for _, q in quotes:
            status, body = client.get("/api/quote?" + urllib.parse.urlencode({"text": q}))
            if status != 200:
                raise RuntimeError(f"{name} {q}: {status} {body[:300]}")
            j = json.loads(body)
            best = j["matches"][0]["passage"]["id"] if j["matches"] else None
            seen[name][q] = (j["status"], best)
    samples = {name: {kind: [] for kind in ("exact", "close")} for name in targets}
    failed = {name: 0 for name in targets}
    names = list(targets)
    for rnd in range(rounds):
        for i, (kind, q) in enumerate(quotes):
            for k in range(len(names)):
                name = names[(rnd + i + k) % len(names)]
                path = "/api/quote?" + urllib.parse.urlencode({"text": q})
                started = time.perf_counter()
                status, _ = targets[name].get(path)
                us = (time.perf_counter() - started) * 1e6
                if status != 200:
                    failed[name] += 1
                    continue
                samples[name][kind].append(us)
    first = names[0]
    out = {"quotations": len(quotes), "rounds": rounds, "targets": {}}
    for name in names:
        every = samples[name]["exact"] + samples[name]["close"]
        agree = sum(1 for _, q in quotes if seen[name][q] == seen[first][q])
        statuses = {}
        for _, q in quotes:
            statuses[seen[name][q][0]] = statuses.get(seen[name][q][0], 0) + 1
        out["targets"][name] = {**summary(every), "failed": failed[name], "statuses": statuses,
                                "same_as_" + first.replace(" ", "_"): agree,
                                "by_kind": {kind: summary(samples[name][kind]) for kind in ("exact", "close")}}
    return out


def summary(samples):
    return {"requests": len(samples), "p50_us": percentile(samples, 0.5), "p99_us": percentile(samples, 0.99),
            "max_us": max(samples) if samples else None}


def search_side_by_side(targets, rounds):
    """Every query once untimed on each target (its hit count), then `rounds`
    rounds of every query, the targets in turn request by request."""
    counts = {name: {} for name in targets}
    for name, (client, path, count) in targets.items():
        for _, q in QUERIES:
            status, body = client.get(path(q))
            if status != 200:
                raise RuntimeError(f"{name} {q}: {status} {body[:300]}")
            counts[name][q] = count(json.loads(body))
    samples = {name: {q: [] for _, q in QUERIES} for name in targets}
    sizes = {name: 0 for name in targets}
    failed = {name: 0 for name in targets}
    names = list(targets)
    for rnd in range(rounds):
        for i, (_, q) in enumerate(QUERIES):
            for k in range(len(names)):
                name = names[(rnd + i + k) % len(names)]
                client, path, _ = targets[name]
                p = path(q)
                started = time.perf_counter()
                status, body = client.get(p)
                us = (time.perf_counter() - started) * 1e6
                if status != 200:
                    failed[name] += 1
                    continue
                samples[name][q].append(us)
                sizes[name] += len(body)
    out = {}
    for name in names:
        every = [s for q in samples[name].values() for s in q]
        by_kind = {kind: summary([s for c, q in QUERIES if c == kind for s in samples[name][q]])
                   for kind in ("word", "phrase")}
        out[name] = {**summary(every), "failed": failed[name], "by_kind": by_kind,
                     "bytes_per_answer": sizes[name] / max(1, len(every)),
                     "queries": {q: {"count": counts[name][q], "p50_us": percentile(samples[name][q], 0.5)}
                                 for _, q in QUERIES}}
    return out


def failover(cluster, leader, binary, site, index, seconds):
    """Kills the leader and measures the survivors: searches for `seconds`,
    a one-document import every 100 ms until one is taken, a push of one
    new passage naming the dead leader first."""
    survivors = [n for n in cluster.nodes if n is not leader]
    status, body = request(leader.api, "POST", "/collections",
                           json.dumps({"name": PROBE, "fields": [{"name": "n", "type": "int32"}]}))
    if status != 201:
        raise RuntimeError(f"probe collection: {status} {body[:300]}")
    if wait_documents(cluster.nodes, PROBE, 0, 10) is None:
        raise RuntimeError("the probe collection did not reach every node")

    # One new passage for the push: a paragraph added to a page, indexed now.
    page = sorted((site / "_posts").rglob("*.md"))[0]
    page.write_text(page.read_text() + "\nThe cluster benchmark added this paragraph about failover drills.\n")
    subprocess.run([binary, "--corpus", site, "--index", index, "index"], check=True, capture_output=True)

    clients = [Client(n.api, {"X-TYPESENSE-API-KEY": KEY}, timeout=5) for n in survivors]
    for c in clients:
        c.get(ts_path("procurement"))
    writes = {"attempts": 0, "statuses": {}, "first_ok_s": None, "new_leader_s": None, "new_leader": None}
    pushed = {}

    def probe_writes(t0):
        k = 0
        while not STOP.is_set() and time.perf_counter() - t0 < 90:
            if writes["first_ok_s"] is not None and writes["new_leader_s"] is not None:
                break
            if writes["new_leader_s"] is None:
                for n in survivors:
                    if n.state() == 1:
                        writes["new_leader_s"] = time.perf_counter() - t0
                        writes["new_leader"] = n.api
            if writes["first_ok_s"] is None:
                node = survivors[k % 2]
                k += 1
                status, body = request(node.api, "POST", f"/collections/{PROBE}/documents/import?action=upsert",
                                       json.dumps({"id": str(k), "n": k}).encode(), timeout=5)
                writes["attempts"] += 1
                said = str(status) if status else body.decode()
                writes["statuses"][said] = writes["statuses"].get(said, 0) + 1
                if status == 200 and b'"success":true' in body:
                    writes["first_ok_s"] = time.perf_counter() - t0
            time.sleep(0.1)

    def push_one(t0):
        try:
            r = push(binary, site, index, [leader.url] + [n.url for n in survivors])
            pushed.update(r)
            pushed["done_s"] = time.perf_counter() - t0
        except RuntimeError as e:
            pushed["error"] = str(e)[-500:]

    leader.kill()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=probe_writes, args=(t0,), daemon=True),
               threading.Thread(target=push_one, args=(t0,), daemon=True)]
    for t in threads:
        t.start()
    samples, statuses, buckets = [], {}, {}
    i = 0
    while time.perf_counter() - t0 < seconds:
        _, q = QUERIES[i % len(QUERIES)]
        client = clients[i % 2]
        i += 1
        started = time.perf_counter()
        status, body = client.get(ts_path(q))
        us = (time.perf_counter() - started) * 1e6
        second = int(started - t0)
        said = str(status) if status else body.decode()
        statuses[said] = statuses.get(said, 0) + 1
        b = buckets.setdefault(second, {"ok": [], "failed": 0})
        if status == 200:
            samples.append(us)
            b["ok"].append(us)
        else:
            b["failed"] += 1
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    new_leader = next((n for n in survivors if n.api == writes["new_leader"]), None)
    expected = pushed.get("answer", {}).get("passages")
    caught_up = wait_documents(survivors, COLLECTION, expected, 30) if expected else None
    return {
        "seconds": seconds,
        "killed": leader.api,
        "searches": {**summary(samples), "statuses": statuses,
                     "per_second": [{"second": s, "ok": len(b["ok"]), "failed": b["failed"],
                                     "p50_us": percentile(b["ok"], 0.5), "max_us": max(b["ok"], default=None)}
                                    for s, b in sorted(buckets.items())]},
        "writes": writes,
        "push": pushed,
        "survivors_hold_all_s": caught_up,
        "new_leader_is": "a survivor" if new_leader else None,
        "changed_page": str(page.relative_to(site)),
    }


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "citeindex",
                    help="a release citeindex binary")
    ap.add_argument("--typesense", type=Path, default=REPO / "target" / "typesense" / "typesense-server",
                    help="Typesense 0.24.1 server (`bash .ci/fetch-typesense` builds it)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/citeindex-cluster"))
    ap.add_argument("--rounds", type=int, default=20,
                    help="timed rounds of the 30 queries on each target (default 20: 600 requests each)")
    ap.add_argument("--failover-seconds", type=int, default=20)
    ap.add_argument("--results", type=Path, default=bench.BENCH / "results" / "latest.json",
                    help="the figures go in here under \"cluster\"; its other keys are kept")
    args = ap.parse_args()
    for path, what in ((args.bin, "citeindex binary"), (args.typesense, "Typesense server"), (ARCHIVE, "18F site")):
        if not path.exists():
            sys.exit(f"cluster: no {what} at {path}")
    # A SIGTERM stops the nodes and the server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    binary = args.bin.resolve()
    work = args.work
    t_start = time.perf_counter()

    site = work / "18f-jekyll"
    shutil.rmtree(site, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    log(f"unpacking {ARCHIVE} into {work}")
    subprocess.run(["tar", "-I", "zstd", "-xf", str(ARCHIVE), "-C", str(work)], check=True)
    index = work / "index"
    machine = {k: v for k, v in bench.machine().items() if k in ("cpu", "cores", "memory_gib", "kernel", "date")}
    out = {"machine": machine, "corpus": {"archive": ARCHIVE.name, "bytes": bench.du(site)},
           "queries": [{"category": c, "query": q} for c, q in QUERIES], "rounds": args.rounds,
           "load_average_start": os.getloadavg()}
    out["machine"]["citeindex"] = subprocess.run([binary, "--version"], capture_output=True,
                                                 text=True).stdout.strip()
    out["machine"]["citeindex_built"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(binary.stat().st_mtime))
    log("indexing the site")
    idx = bench.citeindex_index(binary, site, index)
    out["index"] = {k: idx[k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "size_mb", "summary")}

    cluster = serve = None
    try:
        log("starting three Typesense nodes")
        cluster = Cluster(args.typesense, work / "typesense")
        leader = cluster.leader()
        followers = [n for n in cluster.nodes if n is not leader]
        out["cluster"] = {"nodes": 3, "ready_s": cluster.ready_s, "thread_pool_size": 4}
        _, body = request(leader.api, "GET", "/debug")
        out["machine"]["typesense"] = json.loads(body).get("version")

        log("push: the whole site")
        urls = [leader.url] + [n.url for n in followers]
        cpu = [n.cpu_s() for n in cluster.nodes]
        first = push(binary, site, index, urls)
        first["nodes_cpu_s"] = sum(n.cpu_s() for n in cluster.nodes) - sum(cpu)
        passages = first["answer"]["passages"]
        first["passages_per_s"] = first["answer"]["sent"] / first["wall_s"]
        first["followers_hold_all_s"] = wait_documents(cluster.nodes, COLLECTION, passages)
        first["nodes_peak_rss_mb"] = [n.peak_rss_mb() for n in cluster.nodes]
        first["nodes_data_mb"] = [bench.du(n.data) / 1e6 for n in cluster.nodes]
        log(f"pushed {passages} passages in {first['wall_s']:.2f} s")
        log("push: nothing changed")
        cpu = [n.cpu_s() for n in cluster.nodes]
        again = push(binary, site, index, urls)
        again["nodes_cpu_s"] = sum(n.cpu_s() for n in cluster.nodes) - sum(cpu)
        out["push"] = {"first": first, "again": again, "through": "the leader first, then the followers"}

        log("search: citeindex serve, the leader and a follower, side by side")
        port = bench.free_port()
        serve = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--corpus", site,
                                  "--index", index], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bench.wait_http(f"http://127.0.0.1:{port}/healthz")
        engine_port = bench.free_port()
        engine = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{engine_port}", "--corpus", site,
                                   "--index", index, "--engine", engine_spec(cluster.nodes), "--api-key", KEY],
                                  stdout=subprocess.DEVNULL, stderr=(work / "engine.log").open("w"))
        CHILDREN.add(engine)
        bench.wait_http(f"http://127.0.0.1:{engine_port}/healthz")
        headers = {"X-TYPESENSE-API-KEY": KEY}
        targets = {
            "citeindex serve": (Client(port), serve_path, lambda j: j["total"]),
            "citeindex serve --engine": (Client(engine_port), serve_path, lambda j: j["total"]),
            "cluster leader": (Client(leader.api, headers), ts_path, lambda j: j["found"]),
            "cluster follower": (Client(followers[0].api, headers), ts_path, lambda j: j["found"]),
        }
        out["search"] = search_side_by_side(targets, args.rounds)
        for client, _, _ in targets.values():
            client.close()
        log("quote look-ups: citeindex serve and serve --engine, side by side")
        quotes = quotations(binary, site, index)
        looking = {"citeindex serve": Client(port, timeout=30),
                   "citeindex serve --engine": Client(engine_port, timeout=30)}
        out["quote"] = quote_side_by_side(looking, quotes, max(1, args.rounds // 2))
        for client in looking.values():
            client.close()
        engine.terminate()
        engine.wait(timeout=60)
        serve.terminate()
        serve.wait(timeout=60)
        serve = None

        log(f"failover: the leader killed, {args.failover_seconds} s on the survivors")
        out["failover"] = failover(cluster, leader, binary, site, index, args.failover_seconds)
    finally:
        STOP.set()
        for child in list(CHILDREN):
            child.kill()
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=60)
        if cluster is not None:
            cluster.stop()
    out["total_s"] = time.perf_counter() - t_start
    out["load_average_end"] = os.getloadavg()

    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    results["cluster"] = out
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1))
    log(f"figures under \"cluster\" in {args.results} ({out['total_s']:.0f} s in all)")


if __name__ == "__main__":
    main()
