#!/usr/bin/env python3
"""The wide scan: every API reference page of the corpus's snapshots.

The 84 pages of manifest.toml were chosen by hand from a survey. The scan
takes every candidate page (`survey.py`'s candidates: each doc-exports
`docs/<service>/api-ref/*.html`, each rst repo's `api-ref/source/**.rst`)
of the same repositories at the same commits, leaving out the 84, so that
the readers meet pages nobody chose.

    python3 corpus/pages/scan.py            write scan/<id>.<format> and scan-manifest.tsv
    python3 corpus/pages/scan.py --check    verify scan/ against scan-manifest.tsv

A random third is the holdout, fixed before any reader change was made
for the scan: a page is held out when the first byte of sha256(id) is a
multiple of 3 (a property of the name only, so reruns agree).

`kind` is what the page is by a test independent of the readers: an
`operation` page has a request line (`METHOD /path` as `survey.py` finds
it, or both a `PATH:` and a `Method:` line, RDS's v1 template); anything
else (indexes, permission tables, error code lists) is `other`. The
readers must read every operation page and refuse every other one.

Nothing is skipped in silence: a missing snapshot or commit is an error
and the exit status is 1. python3 stdlib only.
"""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import survey  # noqa: E402
import sync  # noqa: E402

SCAN = os.path.join(HERE, "scan")
TSV = os.path.join(HERE, "scan-manifest.tsv")
COLUMNS = ("id", "service", "format", "kind", "holdout", "repo", "commit", "path", "sha256")
PATH_LINE = re.compile(r"^\s*PATH:\s*/", re.M)
METHOD_LINE = re.compile(r"^\s*Method:\s*[A-Z]+\s*$", re.M)


def service_of(repo, path):
    if repo.endswith("/doc-exports"):
        return path.split("/")[1]
    return repo.split("/")[1]


def page_id(service, path):
    stem = re.sub(r"\.(rst|html)$", "", path)
    stem = stem.replace("api-ref/source/", "").replace(f"docs/{service}/api-ref/", "")
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return f"{service}--{slug}"


def kind_of(fmt, text):
    if PATH_LINE.search(text) and METHOD_LINE.search(text):
        return "operation"
    try:
        features = survey.page_features(fmt, text)
    except Exception:  # survey is a classifier, not a reader: unknown is other
        return "other"
    return "operation" if features.get("method") else "other"


def held_out(page):
    return hashlib.sha256(page.encode()).digest()[0] % 3 == 0


def rows():
    pages = sync.load_manifest(sync.MANIFEST)
    chosen = {(p["repo"], p["path"]) for p in pages}
    commits = {}
    for p in pages:
        commits.setdefault(p["repo"], p["commit"])
    for repo, commit in sorted(commits.items()):
        fmt, prefix, mid, suffix = survey.SOURCES[repo]
        gitdir = survey.mirror_dir(repo)
        if not os.path.isdir(gitdir):
            raise SystemExit(f"scan: no snapshot of {repo} at {gitdir} (fetch github:{repo})")
        names = survey.git(gitdir, "ls-tree", "-r", "--name-only", commit, prefix)
        for path in names.decode().splitlines():
            if not (path.endswith(suffix) and mid in path) or (repo, path) in chosen:
                continue
            raw = survey.git(gitdir, "show", f"{commit}:{path}")
            service = service_of(repo, path)
            pid = page_id(service, path)
            kind = kind_of(fmt, raw.decode("utf-8", errors="replace"))
            yield {
                "id": pid, "service": service, "format": fmt, "kind": kind,
                "holdout": "true" if held_out(pid) else "false", "repo": repo,
                "commit": commit, "path": path,
                "sha256": hashlib.sha256(raw).hexdigest(),
            }, raw


def write():
    os.makedirs(SCAN, exist_ok=True)
    seen, lines = set(), ["\t".join(COLUMNS)]
    for row, raw in rows():
        if row["id"] in seen:
            raise SystemExit(f"scan: two pages are named {row['id']}")
        seen.add(row["id"])
        with open(os.path.join(SCAN, f"{row['id']}.{row['format']}"), "wb") as fh:
            fh.write(raw)
        lines.append("\t".join(row[c] for c in COLUMNS))
    for name in os.listdir(SCAN):
        if name.rsplit(".", 1)[0] not in seen:
            os.remove(os.path.join(SCAN, name))
            print(f"removed {name} (not in the scan)")
    with open(TSV, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(seen)} pages in {SCAN}")


def check():
    bad = 0
    with open(TSV, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            path = os.path.join(SCAN, f"{row['id']}.{row['format']}")
            try:
                with open(path, "rb") as page:
                    digest = hashlib.sha256(page.read()).hexdigest()
            except OSError as error:
                print(f"{path}: {error}")
                bad += 1
                continue
            if digest != row["sha256"]:
                print(f"{path}: sha256 {digest}, the manifest says {row['sha256']}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    write()
