#!/usr/bin/env python3
"""Chooses the corpus pages from a survey and writes manifest.toml.

    survey.py scan --out /tmp/survey.jsonl
    choose.py /tmp/survey.jsonl > manifest.toml

Run once, when the corpus was chosen; manifest.toml is the record from then on
(sync.py reads only the manifest).  Deterministic: the same survey gives the
same manifest.  python3 stdlib only.

Choice:
  * services: ECS, ELB and ModelArts from doc-exports (the vendor's HTML
    export); the other services from their documentation repository (.rst),
    since doc-exports holds no HTML for them.
  * eligible: the page states one operation (one METHOD line in its URI part;
    other METHOD lines are examples of it), has at least one parameter table
    with rows, at least one code block (an example), and a status-code part
    (a section or table for status codes or returned values).
  * per service a quota; within it, pages are taken greedily for layout
    features that fewer than MIN_COVER chosen pages of the service, or fewer
    than MIN_GLOBAL chosen pages of the corpus, show yet (services in the
    order of SERVICES), ties broken by sha256(SEED:path), so that every layout
    feature the eligible pages show is in the corpus, the rare ones at least
    MIN_GLOBAL times where the pages allow.
  * holdout: per service, pages ordered by sha256(f"{SEED}:{id}"), the first
    round(n/3) are holdout.  Chosen here, before any reader saw them.
"""
import hashlib
import json
import re
import sys

SEED = "pages-corpus-23"
MIN_COVER = 3    # per service
MIN_GLOBAL = 4   # over the corpus
RARE = 100       # a feature of at most this many eligible pages weighs double

# service -> (repo, format, path filter, quota)
SERVICES = {
    "ecs": ("opentelekomcloud-docs/doc-exports", "html", "docs/ecs/api-ref/", 8),
    "elb": ("opentelekomcloud-docs/doc-exports", "html", "docs/elb/api-ref/", 9),
    "modelarts": ("opentelekomcloud-docs/doc-exports", "html", "docs/modelarts/api-ref/", 8),
    "vpc": ("opentelekomcloud-docs/virtual-private-cloud", "rst", "api-ref/source/", 6),
    "rds": ("opentelekomcloud-docs/relational-database-service", "rst", "api-ref/source/", 7),
    "evs": ("opentelekomcloud-docs/elastic-volume-service", "rst", "api-ref/source/", 6),
    "iam": ("opentelekomcloud-docs/identity-access-management", "rst", "api-ref/source/", 7),
    "dcs": ("opentelekomcloud-docs/distributed-cache-service", "rst", "api-ref/source/", 6),
    "dms": ("opentelekomcloud-docs/distributed-message-service", "rst", "api-ref/source/", 6),
    "kms": ("opentelekomcloud-docs/key-management-service", "rst", "api-ref/source/", 6),
    "smn": ("opentelekomcloud-docs/simple-message-notification", "rst", "api-ref/source/", 5),
    "cts": ("opentelekomcloud-docs/cloud-trace-service", "rst", "api-ref/source/", 5),
    "as": ("opentelekomcloud-docs/auto-scaling", "rst", "api-ref/source/", 5),
}

LICENSE = "Apache-2.0"

LAYOUT_PREFIXES = ("template:", "caption:", "header:", "uri:", "type:", "table:", "label:",
                   "section:title-markup")


def h(s):
    return hashlib.sha256(s.encode()).hexdigest()


def layout_of(r):
    return sorted(f for f in r["features"] if f.startswith(LAYOUT_PREFIXES))


def eligible(r):
    if r.get("error") or not r.get("method") or r.get("alternates"):
        return False
    if r["n_param_tables"] == 0 or r["n_param_rows"] == 0 or r["n_code_blocks"] == 0:
        return False
    secs = " ".join(r["sections"]).lower()
    status = ("status code" in secs or "returned value" in secs
              or "table:status-codes" in r["features"])
    return status and r["op_path"].startswith(("/", "http"))


def slug(title):
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:56].rstrip("-") or "page"


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def main(survey_file):
    rows = [json.loads(l) for l in open(survey_file, encoding="utf-8")]
    chosen = []
    gcover = {}  # over the whole corpus
    # rare: shown by at most RARE eligible pages of the whole survey
    freq = {}
    for r in rows:
        if eligible(r):
            for f in layout_of(r):
                freq[f] = freq.get(f, 0) + 1
    rare = {f: n <= RARE for f, n in freq.items()}
    for svc, (repo, fmt, prefix, quota) in SERVICES.items():
        pool = [r for r in rows if r["repo"] == repo and r["path"].startswith(prefix)
                and eligible(r)]
        pool.sort(key=lambda r: h(SEED + ":" + r["path"]))
        cover = {}  # within this service
        picked = []
        while len(picked) < quota and pool:
            def gain(r):
                g = 0.0
                for f in layout_of(r):
                    if cover.get(f, 0) < MIN_COVER:
                        g += 1.0 / (1 + cover.get(f, 0))
                    if gcover.get(f, 0) < MIN_GLOBAL:
                        g += (4.0 if rare[f] else 2.0) / (1 + gcover.get(f, 0))
                return g
            best = max(pool, key=gain)  # max keeps the first of equals: hash order
            pool.remove(best)
            picked.append(best)
            for f in layout_of(best):
                cover[f] = cover.get(f, 0) + 1
                gcover[f] = gcover.get(f, 0) + 1
        ids = set()
        for r in picked:
            base = f"{svc}-{slug(r['title'])}"
            pid, n = base, 2
            while pid in ids:
                pid, n = f"{base}-{n}", n + 1
            ids.add(pid)
            r["id"], r["service"] = pid, svc
        ranked = sorted(picked, key=lambda r: h(f"{SEED}:{r['id']}"))
        k = int(len(picked) / 3 + 0.5)
        for i, r in enumerate(ranked):
            r["holdout"] = i < k
        chosen.extend(picked)

    out = sys.stdout
    n_hold = sum(r["holdout"] for r in chosen)
    out.write(f"""# Corpus of vendor API reference pages (issue 23).
#
# One [[page]] per page, each documenting one API operation. The page files are
# not committed: sync.py takes each from the fetched snapshot of `repo` with
# `git show <commit>:<path>`, checks `sha256` and writes files/<id>.<format>.
#
# Fields: id, service, format ("html": the vendor's export in doc-exports;
# "rst": the service's documentation repository), repo, path (in the repo),
# commit (of the snapshot), license (of the repo), sha256 (of the file's bytes),
# title, method and op_path (the operation as the page's URI part states it,
# host and query template included), sections (the page's section titles, in
# order), layout (features found by survey.py; README.md explains them),
# holdout.
#
# Holdout: chosen when the pages were chosen, before any reader ran on them.
# Seed "{SEED}". Method: within each service, pages ordered by
# sha256("{SEED}:<id>") as hex, ascending; the first round(n/3) of each service
# (n = that service's page count; int(n/3 + 0.5)) are holdout = true.
# {len(chosen)} pages, {n_hold} holdout.

""")
    for r in chosen:
        out.write("[[page]]\n")
        out.write(f"id = {toml_str(r['id'])}\n")
        out.write(f"service = {toml_str(r['service'])}\n")
        out.write(f"format = {toml_str(r['format'])}\n")
        out.write(f"repo = {toml_str(r['repo'])}\n")
        out.write(f"path = {toml_str(r['path'])}\n")
        out.write(f"commit = {toml_str(r['commit'])}\n")
        out.write(f"license = {toml_str(LICENSE)}\n")
        out.write(f"sha256 = {toml_str(r['sha256'])}\n")
        out.write(f"title = {toml_str(r['title'])}\n")
        out.write(f"method = {toml_str(r['method'])}\n")
        out.write(f"op_path = {toml_str(r['op_path'])}\n")
        out.write("sections = [" + ", ".join(toml_str(s) for s in r["sections"]) + "]\n")
        out.write("layout = [" + ", ".join(toml_str(f) for f in layout_of(r)) + "]\n")
        out.write(f"holdout = {'true' if r['holdout'] else 'false'}\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
