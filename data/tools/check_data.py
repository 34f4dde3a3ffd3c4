#!/usr/bin/env python3
"""Check the shipped data under data/ against the list format of SPEC.md.

Usage (from the repository root):

    python3 data/tools/check_data.py

Checks, reporting file:line for each problem:
  data/protected/*.jsonl  every non-comment line is a JSON object with exactly
      one of "name" / "pattern" ("pattern" only for kind "anticipated"), a known
      kind and ecosystem, and well-typed optional fields (popularity 0..1,
      rank >= 1, owner, allow, min_len_for_distance_2, severity, retired, and the
      free-text "note" the engine also accepts); no
      (ecosystem, name) twice across the folder; brace patterns balanced and not
      nested, each expanding to at most 200 names and all of them together to at
      most 5,000.
  data/samples/*.jsonl  every line is a candidate object with a string "name",
      a known ecosystem and an ISO 8601 UTC "created_at".
  data/affixes/*.txt  one lowercase word per line, no duplicates in a file.
  Every file under data/protected and data/samples is under 2 MB.

Prints a count per file; exits 1 if anything is wrong. Python 3 standard library only.
"""

import glob
import json
import os
import re
import sys

KINDS = {"org", "repo", "package", "anticipated"}
ECOSYSTEMS = {"hf", "pypi", "npm", "mlflow", "sagemaker", "vertex", "azureml"}
SEVERITIES = {"low", "medium", "high", "critical"}
FIELDS = {"name", "pattern", "kind", "ecosystem", "popularity", "rank", "owner", "allow",
          "min_len_for_distance_2", "severity", "retired", "note", "extensions"}
MAX_PER_PATTERN = 200
MAX_ANTICIPATED = 5000
MAX_BYTES = 2 * 1024 * 1024
CREATED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
problems = []


def problem(where, msg):
    problems.append(f"{os.path.relpath(where[0], ROOT)}:{where[1]}: {msg}")


def expand(pattern):
    """Expands {a,b} alternatives left to right; raises ValueError if malformed."""
    parts, i = [[""]], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "{":
            end = pattern.find("}", i)
            if end < 0:
                raise ValueError("unbalanced '{'")
            body = pattern[i + 1:end]
            if "{" in body:
                raise ValueError("nested braces")
            parts.append(body.split(","))
            i = end + 1
        elif c == "}":
            raise ValueError("unbalanced '}'")
        else:
            parts.append([c])
            i += 1
    names = [""]
    for alternatives in parts:
        names = [n + a for n in names for a in alternatives]
    return names


def json_lines(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                problem((path, number), f"not JSON: {e}")
                continue
            if not isinstance(obj, dict):
                problem((path, number), "not a JSON object")
                continue
            yield number, obj


def check_entry(where, e):
    for key in sorted(set(e) - FIELDS):
        problem(where, f"unknown field {key!r}")
    if ("name" in e) == ("pattern" in e):
        problem(where, "needs exactly one of 'name' and 'pattern'")
    if e.get("kind") not in KINDS:
        problem(where, f"kind {e.get('kind')!r} not one of {sorted(KINDS)}")
    if e.get("ecosystem") not in ECOSYSTEMS:
        problem(where, f"ecosystem {e.get('ecosystem')!r} not one of {sorted(ECOSYSTEMS)}")
    if ("pattern" in e) != (e.get("kind") == "anticipated"):
        problem(where, "'pattern' goes with kind 'anticipated' and only with it")
    text = e.get("name", e.get("pattern"))
    if not isinstance(text, str) or not text or text != text.strip():
        problem(where, f"bad name/pattern {text!r}")
    if "popularity" in e and not (isinstance(e["popularity"], (int, float))
                                  and 0 <= e["popularity"] <= 1):
        problem(where, f"popularity {e['popularity']!r} not in 0..1")
    if "rank" in e and not (isinstance(e["rank"], int) and e["rank"] >= 1):
        problem(where, f"rank {e['rank']!r} not an integer >= 1")
    if "owner" in e and not (isinstance(e["owner"], str) and e["owner"]):
        problem(where, "owner must be a non-empty string")
    if "allow" in e and not (isinstance(e["allow"], list)
                             and all(isinstance(a, str) for a in e["allow"])):
        problem(where, "allow must be a list of strings")
    if "min_len_for_distance_2" in e and not isinstance(e["min_len_for_distance_2"], int):
        problem(where, "min_len_for_distance_2 must be an integer")
    if "severity" in e and e["severity"] not in SEVERITIES:
        problem(where, f"severity {e['severity']!r} not one of {sorted(SEVERITIES)}")
    if "extensions" in e and (not isinstance(e["extensions"], int) or e["extensions"] < 0):
        problem(where, "extensions must be an integer >= 0")
    if "retired" in e and not isinstance(e["retired"], bool):
        problem(where, "retired must be true or false")


def check_protected():
    seen = {}
    anticipated_total = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "protected", "*.jsonl"))):
        count = expanded = 0
        for number, e in json_lines(path):
            where = (path, number)
            check_entry(where, e)
            count += 1
            names = [e.get("name")]
            if isinstance(e.get("pattern"), str):
                try:
                    names = expand(e["pattern"])
                except ValueError as err:
                    problem(where, f"pattern {e['pattern']!r}: {err}")
                    continue
                if len(names) > MAX_PER_PATTERN:
                    problem(where, f"pattern expands to {len(names)} names (> {MAX_PER_PATTERN})")
                expanded += len(names)
            for name in names:
                key = (e.get("ecosystem"), name)
                if key in seen:
                    problem(where, f"{name!r} already listed at {seen[key]}")
                else:
                    seen[key] = f"{os.path.basename(path)}:{number}"
        anticipated_total += expanded
        extra = f" ({expanded} names expanded)" if expanded else ""
        print(f"{os.path.relpath(path, ROOT)}: {count} entries{extra}")
    if anticipated_total > MAX_ANTICIPATED:
        problems.append(f"anticipated patterns expand to {anticipated_total} names (> {MAX_ANTICIPATED})")


def check_samples():
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "samples", "*.jsonl"))):
        count = 0
        for number, c in json_lines(path):
            where = (path, number)
            count += 1
            if not isinstance(c.get("name"), str) or not c["name"]:
                problem(where, "candidate needs a string 'name'")
            if "ecosystem" in c and c["ecosystem"] not in ECOSYSTEMS:
                problem(where, f"ecosystem {c['ecosystem']!r} unknown")
            if "created_at" in c and not CREATED_AT.fullmatch(str(c["created_at"])):
                problem(where, f"created_at {c['created_at']!r} is not YYYY-MM-DDTHH:MM:SSZ")
        print(f"{os.path.relpath(path, ROOT)}: {count} candidates")


def check_affixes():
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "affixes", "*.txt"))):
        words = {}
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                word = line.strip()
                if not word or word.startswith("#"):
                    continue
                if word != word.lower() or not re.fullmatch(r"[a-z0-9]+", word):
                    problem((path, number), f"{word!r} is not one lowercase word")
                if word in words:
                    problem((path, number), f"{word!r} already on line {words[word]}")
                words.setdefault(word, number)
        print(f"{os.path.relpath(path, ROOT)}: {len(words)} words")


def check_sizes():
    for folder in ("protected", "samples"):
        for path in sorted(glob.glob(os.path.join(ROOT, "data", folder, "*"))):
            if os.path.getsize(path) > MAX_BYTES:
                problems.append(f"{os.path.relpath(path, ROOT)}: larger than 2 MB")


def main():
    check_protected()
    check_samples()
    check_affixes()
    check_sizes()
    for p in problems:
        print(p, file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
