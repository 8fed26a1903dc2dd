#!/usr/bin/env python3
"""Rebuild corpus/specs/files/ from the fetched repository snapshots.

For every [[spec]] entry of manifest.toml this runs

    git --git-dir <mirror>/<owner>+<name>/repo[/.git] show <commit>:<path>

checks the size and sha256 recorded in the manifest, and writes the bytes,
unchanged, to files/<id>.json or files/<id>.yaml. Nothing is skipped in
silence: an entry whose snapshot is absent, whose commit or blob is not in the
snapshot, or whose content differs from the manifest is listed at the end and
the exit status is 1.

Python 3.11+ (tomllib), standard library only.

    python3 corpus/specs/sync.py                 # materialise every entry
    python3 corpus/specs/sync.py --set 3.1       # only the 3.1/3.2 set
    python3 corpus/specs/sync.py --check         # verify, write nothing
    python3 corpus/specs/sync.py --list-repos    # repositories to `fetch`
    python3 corpus/specs/sync.py --prune         # also delete stray files/
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MIRROR = os.environ.get("CORPUS_MIRROR", "/work/.mirror")


def git_dir(mirror: Path, repo: str) -> Path | None:
    """The git directory of a snapshot: <mirror>/<owner>+<name>/repo, or its
    .git when the snapshot was a clone with a work tree."""
    root = mirror / repo.replace("/", "+", 1) / "repo"
    for cand in (root / ".git", root):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def ext_of(path: str) -> str:
    low = path.lower()
    if low.endswith(".json"):
        return "json"
    if low.endswith((".yaml", ".yml")):
        return "yaml"
    raise ValueError(f"unexpected extension: {path}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", default=str(HERE / "manifest.toml"))
    ap.add_argument("--out", default=str(HERE / "files"))
    ap.add_argument("--mirror", default=DEFAULT_MIRROR,
                    help="where fetch puts snapshots (default %(default)s, or $CORPUS_MIRROR)")
    ap.add_argument("--set", choices=["3.0", "3.1"], help="only this set")
    ap.add_argument("--id", action="append", default=[], help="only these ids (repeatable)")
    ap.add_argument("--check", action="store_true", help="verify against the snapshots, write nothing")
    ap.add_argument("--prune", action="store_true", help="delete files in --out that no entry names")
    ap.add_argument("--list-repos", action="store_true",
                    help="print the repositories the manifest needs, one per line, and exit")
    args = ap.parse_args()

    with open(args.manifest, "rb") as f:
        manifest = tomllib.load(f)
    specs = manifest.get("spec", [])

    ids = [s["id"] for s in specs]
    dups = {i for i in ids if ids.count(i) > 1}
    if dups:
        print(f"manifest error: duplicate ids {sorted(dups)}", file=sys.stderr)
        return 2

    if args.list_repos:
        for r in sorted({s["repo"] for s in specs}, key=str.lower):
            print(r)
        return 0

    if args.set:
        specs = [s for s in specs if s["set"] == args.set]
    if args.id:
        unknown = set(args.id) - set(ids)
        if unknown:
            print(f"unknown ids: {sorted(unknown)}", file=sys.stderr)
            return 2
        specs = [s for s in specs if s["id"] in args.id]

    mirror = Path(args.mirror)
    out = Path(args.out)
    if not args.check:
        out.mkdir(parents=True, exist_ok=True)

    missing_mirror: dict[str, list[str]] = {}
    missing_blob: list[str] = []
    mismatched: list[str] = []
    written = unchanged = verified = 0
    gitdirs: dict[str, Path | None] = {}

    for s in specs:
        sid, repo, commit, path = s["id"], s["repo"], s["commit"], s["path"]
        if repo not in gitdirs:
            gitdirs[repo] = git_dir(mirror, repo)
        g = gitdirs[repo]
        if g is None:
            missing_mirror.setdefault(repo, []).append(sid)
            continue
        target = out / f"{sid}.{ext_of(path)}"
        if not args.check and target.is_file():
            data = target.read_bytes()
            if len(data) == s["bytes"] and hashlib.sha256(data).hexdigest() == s["sha256"]:
                unchanged += 1
                continue
        proc = subprocess.run(
            ["git", "--git-dir", str(g), "show", f"{commit}:{path}"],
            capture_output=True,
        )
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            missing_blob.append(f"{sid}: {repo} {commit[:12]}:{path}: {err[-1] if err else 'git show failed'}")
            continue
        data = proc.stdout
        digest = hashlib.sha256(data).hexdigest()
        if len(data) != s["bytes"] or digest != s["sha256"]:
            mismatched.append(f"{sid}: {repo} {commit[:12]}:{path}: got {len(data)} bytes sha256 {digest}, "
                              f"manifest says {s['bytes']} bytes sha256 {s['sha256']}")
            continue
        if args.check:
            verified += 1
            continue
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1

    pruned = 0
    if args.prune and not args.check and not args.set and not args.id:
        wanted = {f"{s['id']}.{ext_of(s['path'])}" for s in specs}
        for f in out.iterdir():
            if f.is_file() and f.name not in wanted:
                f.unlink()
                pruned += 1

    n = len(specs)
    if args.check:
        print(f"{verified} of {n} entries verified against the snapshots under {mirror}")
    else:
        print(f"{n} entries: {written} written, {unchanged} already up to date"
              + (f", {pruned} stray files pruned" if pruned else "") + f", in {out}")

    failed = False
    if missing_mirror:
        failed = True
        count = sum(len(v) for v in missing_mirror.values())
        print(f"\nMISSING SNAPSHOTS: {len(missing_mirror)} repositories ({count} entries) are not under {mirror}."
              " Bring each with the fetch tool (fetch github:<owner>/<name>), then run this again:", file=sys.stderr)
        for repo, sids in sorted(missing_mirror.items(), key=lambda kv: kv[0].lower()):
            print(f"  github:{repo}  ({len(sids)}: {', '.join(sids[:6])}{' ...' if len(sids) > 6 else ''})",
                  file=sys.stderr)
    if missing_blob:
        failed = True
        print(f"\nNOT IN SNAPSHOT: {len(missing_blob)} entries (commit or blob absent; files >= 4 MiB never are):",
              file=sys.stderr)
        for m in missing_blob:
            print(f"  {m}", file=sys.stderr)
    if mismatched:
        failed = True
        print(f"\nCONTENT MISMATCH: {len(mismatched)} entries:", file=sys.stderr)
        for m in mismatched:
            print(f"  {m}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
