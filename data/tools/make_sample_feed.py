#!/usr/bin/env python3
"""Build a realistic "day of newly seen names" feed for the nightly job's demo.

Usage (from the repository root):

    python3 data/tools/make_sample_feed.py [SHARED_DIR]

SHARED_DIR defaults to ../shared relative to the repository root. Writes

  data/samples/day-2026-11-24.jsonl
      One JSONL candidate a line, ordered by created_at:
        {"name": ..., "ecosystem": "pypi"|"npm"|"hf", "account": ..., "created_at": "2026-11-24T..Z"}
  data/samples/day-2026-11-24.impostors.tsv
      The hand-written impostors planted in the feed, with their intended
      target and techniques (SPEC.md vocabulary), for scoring the demo.

Deterministic: a fixed seed and sorted input pools, so the output is
byte-identical on every run with the same corpora.

What the feed holds (the benign names are real or realistic, the impostors are
the IMPOSTORS table below, each with a comment saying why it is an attack):
  - PyPI: names from pypi-names.tsv with no rank whose month is 2026-10 or
    2026-11 (recent, unpopular uploads).
  - npm: names from npm-names.tsv with fewer than 2,000 downloads a month.
  - Hugging Face: real model ids from hf-models.txt of orgs that are not
    among the hand-written big publishers (data/protected/hf-publishers.jsonl),
    plus synthetic community uploads "<user>/<real model name>-<suffix>"
    (fine-tunes, LoRAs and quantizations, the bulk of a real day on the Hub):
    benign by construction, and the main false-positive load.
  - Accounts of benign PyPI/npm names and of synthetic HF users are generated
    handles (first name + digits or a word); an HF candidate's account is its org.

Python 3 standard library only.
"""

import json
import os
import random
import sys

sys.dont_write_bytecode = True  # keep data/tools free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_protected_lists import read_hf_list  # noqa: E402  (same bad-row rules as the lists)

SEED = 20261124
DAY = "2026-11-24"
N_PYPI = 2000
N_NPM = 1400
N_HF_REAL = 200
N_HF_SYNTHETIC = 400
NPM_MAX_DOWNLOADS = 2000

# Hand-written impostors: (name, ecosystem, account, target, techniques, why).
# Non-ASCII and invisible characters are written as escapes so they stay visible here.
IMPOSTORS = [
    # --- Hugging Face ---
    ("meta-Ilama/Llama-3.1-8B-Instruct", "hf", "meta-Ilama",
     "meta-llama/Llama-3.1-8B-Instruct", "homoglyph",
     "capital I for lower-case l in the org: identical in many sans-serif fonts; repo name copied verbatim"),
    ("mistral-ai/Mistral-7B-Instruct-v0.3", "hf", "mistral-ai",
     "mistralai/Mistral-7B-Instruct-v0.3", "separator",
     "hyphen inserted into the org name, the spelling people guess from the company name"),
    ("googIe/gemma-2-9b", "hf", "googIe",
     "google/gemma-2-9b", "homoglyph",
     "capital I for l in 'google'"),
    ("qwen/Qwen2.5-7B-Instruct", "hf", "qwen",
     "Qwen/Qwen2.5-7B-Instruct", "case",
     "lower-case org: a different account on the Hub, the spelling users type from memory"),
    ("openai-research", "hf", "openai-research",
     "openai", "affix",
     "org name alone: a look-alike publisher account ready to host fake OpenAI repos"),
    ("deepseek-ai-official/DeepSeek-R1", "hf", "deepseek-ai-official",
     "deepseek-ai/DeepSeek-R1", "affix,scope",
     "'-official' suffix on the org plus the flagship repo name copied"),
    ("meta-llama-hf/Llama-5-8B-Instruct", "hf", "meta-llama-hf",
     "meta-llama/Llama-5-8B-Instruct", "affix,anticipated",
     "squats the expected next Llama release under a look-alike org before Meta publishes it"),
    ("micr\u043esoft/Phi-4-mini-instruct", "hf", "micr\u043esoft",
     "microsoft/Phi-4-mini-instruct", "homoglyph,mixed-script",
     "Cyrillic U+043E 'o' inside a Latin org name; renders exactly as 'microsoft'"),
    ("Qw\u200ben/Qwen3-8B", "hf", "Qw\u200ben",
     "Qwen/Qwen3-8B", "invisible",
     "zero-width space U+200B inside the org; shows as 'Qwen' in a browser or log"),
    ("goofle/gemma-3-27b-it", "hf", "goofle",
     "google/gemma-3-27b-it", "keyboard",
     "g -> f, neighbouring keys: a slip when typing the org"),
    ("llama-meta/Llama-3.2-3B-Instruct", "hf", "llama-meta",
     "meta-llama/Llama-3.2-3B-Instruct", "reorder",
     "the two words of the org swapped"),
    ("free-models-hub/Llama-3.3-70B-Instruct", "hf", "free-models-hub",
     "meta-llama/Llama-3.3-70B-Instruct", "scope",
     "the exact flagship repo name re-uploaded by a day-old account (no suffix saying it is a copy)"),
    ("runwayml/stable-diffusion-v1-5", "hf", "runwayml",
     "runwayml/stable-diffusion-v1-5", "reused-namespace",
     "a retired (deleted in 2024) repo reappearing: whoever holds the name now serves every old pipeline that pins it"),
    ("Qwen-AI/Qwen4-8B-GGUF", "hf", "Qwen-AI",
     "Qwen/Qwen4-8B-GGUF", "affix,anticipated",
     "'-AI' org suffix plus a not-yet-released Qwen4 GGUF, the name a user searches for on launch day"),
    ("unsloth-deepseek-ai/DeepSeek-R1-GGUF", "hf", "unsloth-deepseek-ai",
     "unsloth/DeepSeek-R1-GGUF", "compound,scope",
     "two trusted org names (unsloth + deepseek-ai) glued together, hosting a copy of unsloth/DeepSeek-R1-GGUF"),
    ("stabiltyai/stable-diffusion-xl-base-1.0", "hf", "stabiltyai",
     "stabilityai/stable-diffusion-xl-base-1.0", "omission",
     "one 'i' dropped from the org"),
    # --- PyPI ---
    ("reqeusts", "pypi", "kvn2291",
     "requests", "transposition", "'ue' swapped: the classic requests typo"),
    ("python-requests-sdk", "pypi", "dev-tools-9913",
     "requests", "affix", "'python-' prefix and '-sdk' suffix around a top package"),
    ("numpyy", "pypi", "mlops2026",
     "numpy", "repetition", "last letter doubled"),
    ("pandsa", "pypi", "dataeng77",
     "pandas", "transposition", "last two letters swapped"),
    ("b0to3", "pypi", "aws-helper-1",
     "boto3", "homoglyph", "digit 0 for letter o in the most-downloaded PyPI package"),
    ("setuptoold", "pypi", "pkgbuild-x",
     "setuptools", "keyboard", "s -> d, neighbouring keys"),
    ("beautifulsoup5", "pypi", "soupfan",
     "beautifulsoup4", "version", "version digit bumped: looks like the next major release"),
    ("requestes", "pypi", "kvn2291",
     "requests", "insertion", "an extra 'e' inserted (same account as reqeusts: a campaign)"),
    # --- npm ---
    ("lodahs", "npm", "npmjs-dev1",
     "lodash", "transposition", "last two letters swapped"),
    ("exprress", "npm", "web-kit-22",
     "express", "repetition", "'r' doubled ('expresss' already exists on npm, see README)"),
    ("@types-node/node", "npm", "types-node",
     "@types/node", "scope,separator", "the scope '@types' plus the package name fused into a new scope"),
    ("axioa", "npm", "httpclient9",
     "axios", "keyboard", "s -> a, neighbouring keys"),
    ("cross\u200d-env", "npm", "envtools",
     "cross-env", "invisible",
     "zero-width joiner U+200D before the hyphen (crossenv was a real 2017 typosquat of this package)"),
    ("@typescript_eslint/parser", "npm", "tslint-fans",
     "@typescript-eslint/parser", "separator", "underscore for hyphen in the scope"),
    ("\u0435xpress", "npm", "web-kit-22",
     "express", "homoglyph,mixed-script", "Cyrillic U+0435 'e' as the first letter"),
    ("webpeck", "npm", "bundler-io",
     "webpack", "substitution", "'a' replaced by 'e'"),
]

FIRST = ["alex", "maria", "kenji", "wei", "ana", "omar", "sara", "tom", "nina", "ivan",
         "lucas", "mei", "raj", "fatima", "jon", "eva", "li", "yuki", "pablo", "chen",
         "amir", "lea", "noah", "zoe", "ryo", "sofia", "dev", "max", "kim", "ali",
         "hana", "igor", "priya", "tariq", "ines", "oscar", "minh", "aisha", "bjorn", "lena"]
WORDS = ["ml", "nlp", "lab", "data", "dev", "codes", "builds", "research", "ai", "bot"]
HF_SUFFIXES = ["finetuned-imdb", "finetuned-squad", "finetuned-ner", "lora", "qlora", "sft",
               "dpo", "GGUF", "Q4_K_M-GGUF", "4bit", "8bit", "mlx-4bit", "AWQ", "GPTQ",
               "merged", "v2", "test", "medical", "legal", "chat-ft", "ko", "ja", "pt-br",
               "summarization", "distilled", "onnx", "int8", "exp1", "checkpoint-500"]


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def handle(rng, hf=False):
    first = rng.choice(FIRST)
    style = rng.randrange(4)
    if style == 0:
        return f"{first}{rng.randrange(1, 9999)}"
    if style == 1:
        return f"{first}-{rng.choice(WORDS)}"
    if style == 2 and not hf:
        return f"{first}_{rng.choice('abcdefghijklmnoprstvwz')}"
    return f"{first}{rng.choice(WORDS)}{rng.randrange(10, 99)}"


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            line = line.rstrip("\r\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def publisher_orgs(path):
    orgs = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("{"):
                e = json.loads(line)
                if e.get("kind") == "org":
                    orgs.add(e["name"])
    return orgs


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    root = repo_root()
    corpora = os.path.join(argv[1] if len(argv) == 2 else os.path.join(root, "..", "shared"), "corpora")
    rng = random.Random(SEED)

    pypi_pool = sorted(r[0] for r in read_tsv(os.path.join(corpora, "pypi-names.tsv"))
                       if len(r) == 3 and not r[1] and r[2] in ("2026-10", "2026-11"))
    npm_pool = sorted(r[0] for r in read_tsv(os.path.join(corpora, "npm-names.tsv"))
                      if len(r) == 2 and r[1].isdigit() and int(r[1]) < NPM_MAX_DOWNLOADS)
    big = publisher_orgs(os.path.join(root, "data", "protected", "hf-publishers.jsonl"))
    models = sorted(read_hf_list(os.path.join(corpora, "hf-models.txt"), want_repo=True))
    hf_pool = [m for m in models if m.split("/")[0] not in big]

    candidates = []  # (name, ecosystem, account)
    for name in rng.sample(pypi_pool, N_PYPI):
        candidates.append((name, "pypi", handle(rng)))
    for name in rng.sample(npm_pool, N_NPM):
        candidates.append((name, "npm", handle(rng)))
    for name in rng.sample(hf_pool, N_HF_REAL):
        candidates.append((name, "hf", name.split("/")[0]))
    taken = {c[0] for c in candidates} | {i[0] for i in IMPOSTORS}
    while sum(1 for c in candidates if c[1] == "hf") < N_HF_REAL + N_HF_SYNTHETIC:
        user = handle(rng, hf=True)
        base = rng.choice(models).split("/")[1]
        name = f"{user}/{base}-{rng.choice(HF_SUFFIXES)}"
        if name not in taken:
            taken.add(name)
            candidates.append((name, "hf", user))
    candidates += [(name, eco, account) for name, eco, account, *_ in IMPOSTORS]

    rows = []
    for name, eco, account in candidates:
        second = rng.randrange(24 * 3600)
        created = f"{DAY}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
        rows.append((created, eco, name, account))
    rows.sort()

    out_dir = os.path.join(root, "data", "samples")
    os.makedirs(out_dir, exist_ok=True)
    feed = os.path.join(out_dir, f"day-{DAY}.jsonl")
    with open(feed, "w", encoding="utf-8", newline="\n") as out:
        for created, eco, name, account in rows:
            out.write(json.dumps({"name": name, "ecosystem": eco, "account": account,
                                  "created_at": created}, ensure_ascii=False) + "\n")
    labels = os.path.join(out_dir, f"day-{DAY}.impostors.tsv")
    with open(labels, "w", encoding="utf-8", newline="\n") as out:
        out.write("name_escaped\tecosystem\ttarget\ttechniques\twhy\n")
        for name, eco, _account, target, techniques, why in IMPOSTORS:
            escaped = name.encode("ascii", "backslashreplace").decode("ascii")
            out.write(f"{escaped}\t{eco}\t{target}\t{techniques}\t{why}\n")
    counts = {}
    for _, eco, _, _ in rows:
        counts[eco] = counts.get(eco, 0) + 1
    print(f"wrote {os.path.relpath(feed, root)}: {len(rows)} candidates "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}; {len(IMPOSTORS)} impostors)")
    print(f"wrote {os.path.relpath(labels, root)}: {len(IMPOSTORS)} impostors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
