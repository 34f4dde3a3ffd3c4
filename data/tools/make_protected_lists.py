#!/usr/bin/env python3
"""Generate squatguard's default protected lists from the shared name corpora.

Usage (from the repository root):

    python3 data/tools/make_protected_lists.py [SHARED_DIR]

SHARED_DIR defaults to ../shared relative to the repository root; the corpora
are read from SHARED_DIR/corpora. Output goes to data/protected/ and is fully
determined by the input files (sorted output, no timestamps, no randomness):
running the script twice gives byte-identical files.

Files written:

  data/protected/pypi-top5000.jsonl
      The 5,000 PyPI packages with the smallest `rank` in pypi-names.tsv
      (rank 1 = most popular), ordered by rank:
        {"name": ..., "kind": "package", "ecosystem": "pypi", "rank": N}
      Rows without a rank are not ranked packages and are skipped. Ranks have
      gaps in the corpus, so the 5,000th package may have a rank above 5,000.

  data/protected/npm-top5000.jsonl
      The 5,000 npm packages with the most downloads_a_month in npm-names.tsv,
      ordered by downloads (ties by name):
        {"name": ..., "kind": "package", "ecosystem": "npm",
         "rank": R, "popularity": P}
      R is the position in that order (1 = most downloaded).
      P = log10(1 + downloads) / log10(1 + downloads of the top package),
      rounded to 4 decimals: 1.0 for the top package, about 0.75 for a package
      with 11.5M downloads a month when the top has 2.4G. Rows with an empty
      or non-numeric download count are skipped.

  data/protected/hf-corpus.jsonl
      Every real Hugging Face org in hf-orgs.txt (kind org) and model id in
      hf-models.txt (kind repo), ecosystem hf. Orgs of model ids that are
      missing from hf-orgs.txt are added as orgs. Names already listed in the
      hand-written data/protected/hf-publishers.jsonl are left out here, so
      each name has one entry and the hand-written one (with popularity,
      owner, retired) wins.

Bad rows are reported on stderr (and are listed in data/README.md): comment
lines and blank lines are skipped; surrounding whitespace is stripped and
reported; exact duplicates are dropped; ids that are not valid Hugging Face
ids, or that use a reserved Hub path word as the org (e.g. "collections/x",
which is a URL path, not an org), are dropped. Names that differ only in case
are kept (the Hub treats org and repo spelling case-sensitively in squatguard)
but reported.

Python 3 standard library only.
"""

import json
import math
import os
import re
import sys

TOP_N = 5000

# First path segments that are Hub pages, not user or org names.
HF_RESERVED = {
    "api", "blog", "collections", "datasets", "docs", "join", "learn", "login",
    "models", "new", "organizations", "papers", "posts", "pricing", "settings",
    "spaces", "tasks",
}
# A Hub name segment: letters, digits, '-', '_', '.'; starts and ends with a
# letter or digit; no '--' or '..'; at most 96 characters.
HF_SEGMENT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?")


def warn(msg):
    print(f"make_protected_lists: {msg}", file=sys.stderr)


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def dump(entry):
    return json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(path, header, entries):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in header:
            out.write(f"# {line}\n" if line else "#\n")
        for entry in entries:
            out.write(dump(entry) + "\n")
    print(f"wrote {os.path.relpath(path, repo_root())}: {len(entries)} entries")


def read_tsv(path):
    """Yields (line_number, fields) for the data rows of a TSV with a header."""
    with open(path, encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if number == 1 or not line or line.startswith("#"):
                continue
            yield number, line.split("\t")


WORD_SPLIT = re.compile(r"[-_./@]+")


def words_of(name):
    return [w for w in WORD_SPLIT.split(name.lower()) if w]


def count_extensions(names, protected):
    """How many registry names contain each protected name as a run of whole
    words with other words added (django -> django-filter, pytest -> pytest-cov).
    The engine reads a name many others extend as a plugin namespace: a word
    added to it is weak evidence of a combosquat."""
    keys = {"-".join(words_of(p)): p for p in protected}
    counts = {}
    for name in names:
        words = words_of(name)
        if len(words) < 2 or len(words) > 8:
            continue
        seen = set()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if j - i == len(words):
                    continue
                key = "-".join(words[i:j])
                if key in keys and key not in seen:
                    seen.add(key)
                    counts[keys[key]] = counts.get(keys[key], 0) + 1
    return counts


def make_pypi(corpora):
    path = os.path.join(corpora, "pypi-names.tsv")
    ranked = []
    for number, fields in read_tsv(path):
        if len(fields) != 3:
            warn(f"{path}:{number}: expected 3 columns, got {len(fields)}: {fields!r}")
            continue
        name, rank, _month = fields
        if not rank:
            continue
        if not rank.isdigit():
            warn(f"{path}:{number}: bad rank {rank!r} for {name!r}")
            continue
        ranked.append((int(rank), name.strip()))
    ranked.sort()
    top = ranked[:TOP_N]
    missing = sorted(set(range(1, top[-1][0] + 1)) - {r for r, _ in top})
    header = [
        f"The {len(top)} PyPI packages with the smallest rank in shared/corpora/pypi-names.tsv",
        "(rank 1 = most popular). Generated; do not edit by hand. Regenerate with:",
        "  python3 data/tools/make_protected_lists.py [SHARED_DIR]",
        f"Ranks run 1..{top[-1][0]}; absent from the corpus: {', '.join(map(str, missing)) or 'none'}.",
    ]
    all_names = [fields[0] for _, fields in read_tsv(path) if fields]
    ext = count_extensions(all_names, [n for _, n in top])
    header.append("extensions: PyPI names in the corpus that add other words to this one (plugins).")
    entries = []
    for r, n in top:
        e = {"name": n, "kind": "package", "ecosystem": "pypi", "rank": r}
        if ext.get(n):
            e["extensions"] = ext[n]
        entries.append(e)
    return header, entries


def make_npm(corpora):
    path = os.path.join(corpora, "npm-names.tsv")
    rows = []
    for number, fields in read_tsv(path):
        if len(fields) != 2:
            warn(f"{path}:{number}: expected 2 columns, got {len(fields)}: {fields!r}")
            continue
        name, downloads = fields
        if not downloads.isdigit():
            warn(f"{path}:{number}: no download count for {name!r}; skipped")
            continue
        rows.append((-int(downloads), name.strip()))
    rows.sort()
    top = rows[:TOP_N]
    top_log = math.log10(1 + -top[0][0])
    entries = []
    for rank, (neg, name) in enumerate(top, 1):
        popularity = round(math.log10(1 + -neg) / top_log, 4)
        entries.append({"name": name, "kind": "package", "ecosystem": "npm",
                        "rank": rank, "popularity": popularity})
    all_names = [fields[0] for _, fields in read_tsv(path) if fields]
    ext = count_extensions(all_names, [e["name"] for e in entries])
    for e in entries:
        if ext.get(e["name"]):
            e["extensions"] = ext[e["name"]]
    header = [
        f"The {len(top)} npm packages with the most downloads_a_month in shared/corpora/npm-names.tsv.",
        "Generated; do not edit by hand. Regenerate with:",
        "  python3 data/tools/make_protected_lists.py [SHARED_DIR]",
        "rank: position by downloads (ties by name), 1 = most downloaded.",
        "popularity = log10(1 + downloads) / log10(1 + downloads of the top package), 4 decimals.",
        "extensions: npm names in the corpus that add other words to this one (plugins).",
        f"Downloads range {-top[-1][0]:,} .. {-top[0][0]:,} a month.",
    ]
    return header, entries


def read_hf_list(path, want_repo):
    """Returns the valid names of an HF list in file order; reports bad rows."""
    names, seen, by_lower = [], set(), {}
    with open(path, encoding="utf-8", newline="") as f:
        for number, raw in enumerate(f, 1):
            raw = raw.rstrip("\r\n")
            if raw.startswith("#"):
                continue
            name = raw.strip()
            if not name:
                if raw:
                    warn(f"{path}:{number}: whitespace-only line")
                continue
            if name != raw:
                warn(f"{path}:{number}: surrounding whitespace in {raw!r}; stripped")
            parts = name.split("/")
            if len(parts) != (2 if want_repo else 1) or not all(
                    HF_SEGMENT.fullmatch(p) and "--" not in p and ".." not in p for p in parts):
                warn(f"{path}:{number}: invalid Hugging Face {'model id' if want_repo else 'name'} {name!r}; dropped")
                continue
            if parts[0].lower() in HF_RESERVED:
                warn(f"{path}:{number}: {name!r} starts with the reserved Hub path '{parts[0]}', not an org; dropped")
                continue
            if name in seen:
                warn(f"{path}:{number}: duplicate {name!r}; dropped")
                continue
            other = by_lower.get(name.lower())
            if other is not None:
                warn(f"{path}:{number}: {name!r} differs only in case from {other!r}; kept both")
            seen.add(name)
            by_lower.setdefault(name.lower(), name)
            names.append(name)
    return names


def read_hand_written_names(path):
    names = set()
    if not os.path.exists(path):
        return names
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                entry = json.loads(line)
                if "name" in entry:
                    names.add(entry["name"])
    return names


def sort_key(name):
    return (name.lower(), name)


def make_hf(corpora, publishers_path):
    orgs_path = os.path.join(corpora, "hf-orgs.txt")
    models_path = os.path.join(corpora, "hf-models.txt")
    orgs = read_hf_list(orgs_path, want_repo=False)
    models = read_hf_list(models_path, want_repo=True)
    org_set = set(orgs)
    added = sorted({m.split("/")[0] for m in models} - org_set, key=sort_key)
    for org in added:
        warn(f"{models_path}: org {org!r} of a model id is missing from hf-orgs.txt; added")
    hand = read_hand_written_names(publishers_path)
    all_orgs = sorted((org_set | set(added)) - hand, key=sort_key)
    repos = sorted(set(models) - hand, key=sort_key)
    entries = [{"name": o, "kind": "org", "ecosystem": "hf"} for o in all_orgs]
    entries += [{"name": m, "kind": "repo", "ecosystem": "hf"} for m in repos]
    header = [
        "Every real Hugging Face org (shared/corpora/hf-orgs.txt) and model id",
        "(shared/corpora/hf-models.txt), orgs first. Generated; do not edit by hand. Regenerate with:",
        "  python3 data/tools/make_protected_lists.py [SHARED_DIR]",
        f"{len(orgs)} orgs listed + {len(added)} orgs of model ids missing from hf-orgs.txt, {len(models)} model ids;",
        f"{len(org_set | set(added)) - len(all_orgs)} orgs and {len(set(models)) - len(repos)} repos are left to the hand-written",
        "hf-publishers.jsonl. Bad rows dropped: see data/README.md.",
    ]
    return header, entries


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    root = repo_root()
    shared = argv[1] if len(argv) == 2 else os.path.join(root, "..", "shared")
    corpora = os.path.join(shared, "corpora")
    if not os.path.isdir(corpora):
        warn(f"no corpora folder at {corpora}")
        return 2
    out = os.path.join(root, "data", "protected")
    os.makedirs(out, exist_ok=True)
    write_jsonl(os.path.join(out, "pypi-top5000.jsonl"), *make_pypi(corpora))
    write_jsonl(os.path.join(out, "npm-top5000.jsonl"), *make_npm(corpora))
    write_jsonl(os.path.join(out, "hf-corpus.jsonl"),
                *make_hf(corpora, os.path.join(out, "hf-publishers.jsonl")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
