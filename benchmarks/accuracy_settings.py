"""Realistic settings for a secret: the files a secret leaks into (.env, YAML, code, logs, headers, …).

Each setting is a file name and a template over the provider's name (``{p}`` lower, ``{P}`` upper) and
the secret (``{s}``; ``{j}`` is the secret as a JSON string). A deterministic seeded sample of the peers'
positives with a known secret is wrapped, one setting each.
"""

from __future__ import annotations

import json
import random
import re

from accuracy_sources import Example

SETTINGS: dict[str, tuple[str, str]] = {
    "dotenv": (".env", "# {p} credentials\n{P}_API_KEY={s}\nDEBUG=false\n"),
    "yaml": ("config.yaml", "{p}:\n  region: eu-west-1\n  api_key: \"{s}\"\n  timeout: 30\n"),
    "json": ("settings.json", '{{\n  "service": "{p}",\n  "credentials": {{\n    "token": {j}\n  }},\n'
             '  "retries": 3\n}}\n'),
    "python": ("client.py", '{P}_TOKEN = "{s}"\n\n\ndef headers():\n'
               '    return {{"Authorization": "Bearer " + {P}_TOKEN}}\n'),
    "javascript": ("index.js", "const {p}Secret = '{s}';\n\nmodule.exports = {{ {p}Secret }};\n"),
    "go": ("main.go", 'package main\n\nconst {p}APIKey = "{s}"\n\nfunc main() {{}}\n'),
    "java": ("Config.java", 'public final class Config {{\n    static final String {P}_SECRET = "{s}";\n}}\n'),
    "ruby": ("config.rb", '{P}_KEY = ENV.fetch("{P}_KEY", "{s}")\n'),
    "shell": ("deploy.sh", '#!/bin/sh\nset -eu\nexport {P}_TOKEN="{s}"\n./release --service {p}\n'),
    "log": ("app.log", "2024-03-11T10:22:01Z INFO  starting worker pid=4121\n"
            "2024-03-11T10:22:02Z DEBUG {p} client configured token={s} retries=3\n"),
    "history": (".bash_history", "cd ~/src/api\nexport {P}_API_KEY={s}\nmake run\n"),
    "http": ("request.http", "GET /v1/account HTTP/1.1\nHost: api.{p}.io\nAuthorization: Bearer {s}\n"
             "Accept: application/json\n"),
    "cli": ("run.sh", "{p}-cli login --api-key {s} --region us-east-1\n"),
    "csv": ("credentials.csv", "service,key,created\n{p},{s},2024-01-15\n"),
}  # fmt: skip


def provider(rule: str) -> str:
    """A provider-like name from a peer's rule id: its first word that is not a peer's prefix."""
    words = [w for w in re.findall(r"[a-z][a-z0-9]*", rule.lower()) if w != "kingfisher"]
    return words[0] if words else "service"


def wrap(example: Example, setting: str) -> Example:
    name, template = SETTINGS[setting]
    p = provider(example.rule)
    secret = example.secret or ""
    text = template.format(p=p, P=p.upper(), s=secret, j=json.dumps(secret))
    return Example(
        "settings",
        example.rule,
        True,
        text,
        f"{example.source}:{example.origin}",
        secret,
        setting,
        example.split_key,
    )


def file_name(setting: str) -> str:
    return SETTINGS[setting][0]


def wrapped(examples: list[Example], count: int, seed: int) -> list[Example]:
    """``count`` positives with a known one-line secret, chosen and set by a seeded generator."""
    eligible = sorted(
        (e for e in examples if e.positive and e.secret and "\n" not in e.secret and len(e.secret) >= 8),
        key=lambda e: e.ident,
    )
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(count, len(eligible)))
    names = sorted(SETTINGS)
    return [wrap(e, names[i % len(names)]) for i, e in enumerate(chosen)]
