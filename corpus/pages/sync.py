#!/usr/bin/env python3
"""Materialises the page corpus from fetched snapshots.

    python3 corpus/pages/sync.py              write files/<id>.<format> for every page
    python3 corpus/pages/sync.py --check      only verify files/ against the manifest
    python3 corpus/pages/sync.py --repos      print the repositories to fetch

For each [[page]] of manifest.toml (beside this file) it runs
`git --git-dir <mirror> show <commit>:<path>`, checks the bytes against
`sha256`, and writes them to files/<id>.<format>.  <mirror> is
<root>/<owner>+<name>/repo, the layout the `fetch` tool leaves; <root> is
--mirror-root, else $PAGES_MIRROR_ROOT, else /work/.mirror.

Nothing is skipped in silence: a missing mirror, a commit or path the mirror
lacks, or a checksum that differs is reported, and the exit status is 1.
Files in files/ that the manifest does not name are removed (and listed).
python3 stdlib only.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.toml")
FILES = os.path.join(HERE, "files")
REQUIRED = ("id", "service", "format", "repo", "path", "commit", "license", "sha256",
            "method", "op_path", "layout", "holdout")


def load_manifest(path):
    try:
        import tomllib  # python >= 3.11
        with open(path, "rb") as fh:
            return tomllib.load(fh).get("page", [])
    except ImportError:
        return _load_minimal(path)


def _load_minimal(path):
    """The subset of TOML manifest.toml uses: [[page]], strings, booleans,
    one-line arrays of strings."""
    import json
    pages, cur = [], None
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if s == "[[page]]":
                cur = {}
                pages.append(cur)
                continue
            m = re.match(r"^([A-Za-z0-9_]+)\s*=\s*(.+)$", s)
            if not m or cur is None:
                raise ValueError(f"{path}:{n}: cannot read {s!r}")
            key, val = m.groups()
            if val in ("true", "false"):
                cur[key] = val == "true"
            else:
                cur[key] = json.loads(val)
    return pages


def validate(pages):
    errors, seen = [], set()
    for i, p in enumerate(pages):
        where = f"page {i + 1} ({p.get('id', '?')})"
        for k in REQUIRED:
            if k not in p:
                errors.append(f"{where}: no {k}")
        if p.get("id") in seen:
            errors.append(f"{where}: id used twice")
        seen.add(p.get("id"))
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(p.get("id", ""))):
            errors.append(f"{where}: id must be [a-z0-9-]")
        if p.get("format") not in ("html", "rst"):
            errors.append(f"{where}: format must be html or rst")
        if not re.fullmatch(r"[0-9a-f]{40}", str(p.get("commit", ""))):
            errors.append(f"{where}: commit must be 40 hex digits")
        if not re.fullmatch(r"[0-9a-f]{64}", str(p.get("sha256", ""))):
            errors.append(f"{where}: sha256 must be 64 hex digits")
        if not isinstance(p.get("holdout"), bool):
            errors.append(f"{where}: holdout must be true or false")
    return errors


def mirror_of(root, repo):
    return os.path.join(root, repo.replace("/", "+"), "repo")


def out_name(p):
    return os.path.join(FILES, f"{p['id']}.{p['format']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror-root", default=os.environ.get("PAGES_MIRROR_ROOT", "/work/.mirror"))
    ap.add_argument("--manifest", default=MANIFEST)
    ap.add_argument("--check", action="store_true", help="verify files/ only, write nothing")
    ap.add_argument("--repos", action="store_true", help="print the repositories to fetch")
    a = ap.parse_args()

    pages = load_manifest(a.manifest)
    errors = validate(pages)
    if errors:
        for e in errors:
            print(f"manifest: {e}", file=sys.stderr)
        return 1
    if a.repos:
        for r in sorted({p["repo"] for p in pages}):
            print(r)
        return 0

    problems = []
    if a.check:
        for p in pages:
            fn = out_name(p)
            if not os.path.exists(fn):
                problems.append(f"{p['id']}: {os.path.relpath(fn)} is missing (run sync.py)")
                continue
            with open(fn, "rb") as fh:
                got = hashlib.sha256(fh.read()).hexdigest()
            if got != p["sha256"]:
                problems.append(f"{p['id']}: {os.path.relpath(fn)} has sha256 {got}, "
                                f"the manifest says {p['sha256']}")
    else:
        os.makedirs(FILES, exist_ok=True)
        missing_mirrors = {}
        written = 0
        for p in pages:
            gd = mirror_of(a.mirror_root, p["repo"])
            if not os.path.isdir(gd):
                missing_mirrors.setdefault(p["repo"], []).append(p["id"])
                continue
            r = subprocess.run(["git", "--git-dir", gd, "show", f"{p['commit']}:{p['path']}"],
                               capture_output=True)
            if r.returncode != 0:
                problems.append(f"{p['id']}: git show {p['commit'][:12]}:{p['path']} in {gd} "
                                f"failed: {r.stderr.decode(errors='replace').strip()}")
                continue
            got = hashlib.sha256(r.stdout).hexdigest()
            if got != p["sha256"]:
                problems.append(f"{p['id']}: {p['repo']}@{p['commit'][:12]}:{p['path']} has "
                                f"sha256 {got}, the manifest says {p['sha256']}; not written")
                continue
            fn = out_name(p)
            tmp = fn + ".tmp"
            with open(tmp, "wb") as fh:
                fh.write(r.stdout)
            os.replace(tmp, fn)
            written += 1
        for repo, ids in sorted(missing_mirrors.items()):
            problems.append(f"no mirror of {repo} at {mirror_of(a.mirror_root, repo)} "
                            f"(fetch github:{repo}); {len(ids)} page(s) not written: "
                            + ", ".join(ids))
        wanted = {os.path.basename(out_name(p)) for p in pages}
        for fn in sorted(os.listdir(FILES)):
            if fn not in wanted:
                os.remove(os.path.join(FILES, fn))
                print(f"removed {fn}: not in the manifest")
        print(f"{written} of {len(pages)} pages written to {os.path.relpath(FILES)}")

    for pr in problems:
        print(f"error: {pr}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); the corpus is incomplete", file=sys.stderr)
        return 1
    if a.check:
        print(f"{len(pages)} of {len(pages)} pages present and matching the manifest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
