#!/usr/bin/env python3
"""Write Veil's labelled corpus: fake secrets planted in realistic files, hard negatives, and the manifest.

    python corpus/generate.py           # rewrite corpus/positives, corpus/negatives and corpus/manifest.json
    python corpus/generate.py --check   # exit 1 when the committed corpus is not what this script writes

The labels in manifest.json come from what this script planted (and, for the hand-written files listed
in HANDMADE, from the line each was written on), never from a scanner's output. Seeded: every run
writes the same bytes. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from carriers import BLOCK_CARRIERS, CARRIERS, K8S_DATA, SERVICES, USERS, Carrier, Item, flag_command, for_k8s_data
from configs import RECIPES
from fakes import PROVIDERS, Fake
from noise import NEGATIVES, path_for

HERE = Path(__file__).resolve().parent
SEED = "veil-corpus-v1"
K8S_DATA_FILES = 6
BLOCK_OPENERS = ("|", '"""', "<<-EOT")
T = TypeVar("T")

# Files written by hand before the generator existed: (path, line, pattern, family, provider, rule).
# The labelled value is the pattern's group 1 (else the whole match) on that line; BLOCK marks a PEM block
# that starts on that line (in a JSON string when the line holds one).
BLOCK = "BLOCK"
HANDMADE: list[tuple[str, int, str, str, str, str | None]] = [
    ("positives/.env", 3, r"sk-proj-\S+", "ai", "openai", "openai-project-key"),
    ("positives/.env", 4, r"sk-ant-api03-\S+", "ai", "anthropic", "anthropic-api-key"),
    ("positives/.env", 5, r"ghp_\w+", "vcs", "github", "github-pat"),
    ("positives/.env", 6, r"sk_live_\w+", "payments", "stripe", "stripe-live-secret-key"),
    ("positives/.env", 7, r"://\w+:(\w+)@", "databases", "postgres", "postgres-uri-password"),
    ("positives/.gitlab-ci.yml", 3, r"hvs\.[\w-]+", "packages", "vault", "vault-service-token"),
    ("positives/.gitlab-ci.yml", 4, r"\w+\.atlasv1\.[\w=-]+", "packages", "terraform", "terraform-cloud-token"),
    ("positives/.gitlab-ci.yml", 8, r"glrt-[\w-]+", "vcs", "gitlab", "gitlab-runner-token"),
    ("positives/Dockerfile", 2, r"glpat-[\w-]+", "vcs", "gitlab", "gitlab-pat"),
    ("positives/Dockerfile", 3, r"gsk_\w+", "ai", "groq", "groq-api-key"),
    ("positives/app/config.json", 3, r"AIza[\w-]+", "cloud", "gcp", "gcp-api-key"),
    ("positives/app/config.json", 7, r"hf_\w+", "ai", "huggingface", "huggingface-token"),
    ("positives/app/config.json", 11, r"npm_[A-Za-z0-9]{36}", "packages", "npm", "npm-access-token"),
    ("positives/config/settings.yaml", 5, r"xoxb-[\w-]+", "chat", "slack", "slack-bot-token"),
    ("positives/config/settings.yaml", 6, r"https://hooks\.slack\.com/\S+", "chat", "slack", "slack-webhook-url"),
    ("positives/config/settings.yaml", 9, r"SG\.[\w.-]+", "comms", "sendgrid", "sendgrid-api-key"),
    ("positives/config/settings.yaml", 11, r"SK[0-9a-f]{32}", "comms", "twilio", "twilio-api-key"),
    ("positives/deploy/deploy.py", 6, r"AKIA\w+", "cloud", "aws", "aws-access-key-id"),
    ("positives/deploy/deploy.py", 7, r'"([\w/+]{40})"', "cloud", "aws", "aws-secret-access-key"),
    ("positives/deploy/deploy.py", 10, r"key-[0-9a-f]{32}", "comms", "mailgun", "mailgun-api-key"),
    ("positives/home/.aws/credentials", 2, r"AKIA\w+", "cloud", "aws", "aws-access-key-id"),
    ("positives/home/.aws/credentials", 3, r"= (\S+)", "cloud", "aws", "aws-secret-access-key"),
    ("positives/home/.bash_history", 3, r"sk-\w+", "ai", "openai", "openai-legacy-key"),
    ("positives/home/.bash_history", 4, r"eyJ[\w.-]+", "keys", "jwt", "jwt"),
    ("positives/home/.bash_history", 5, r"dckr_pat_[\w-]+", "packages", "dockerhub", "dockerhub-access-token"),
    ("positives/home/.npmrc", 1, r"npm_\w+", "packages", "npm", "npm-access-token"),
    ("positives/home/.pypirc", 3, r"pypi-[\w-]+", "packages", "pypi", "pypi-upload-token"),
    ("positives/infra/main.tf", 2, r"dop_v1_\w+", "cloud", "digitalocean", "digitalocean-token"),
    ("positives/infra/main.tf", 11, r"AccountKey=([A-Za-z0-9+/]{86}==)", "cloud", "azure",
     "azure-storage-credential-pair"),
    ("positives/k8s/secret.yaml", 8, r"lsv2_\w+", "ai", "langsmith", "langsmith-api-key"),
    ("positives/k8s/secret.yaml", 9, r"xai-\w+", "ai", "xai", "xai-api-key"),
    ("positives/k8s/secret.yaml", 10, r"r8_\w+", "ai", "replicate", "replicate-api-token"),
    ("positives/keys/deploy_ed25519", 1, BLOCK, "keys", "openssh", "private-key-openssh"),
    ("positives/keys/gcp-sa.json", 5, BLOCK, "cloud", "gcp", "gcp-service-account-key"),
    ("positives/keys/id_rsa", 1, BLOCK, "keys", "rsa", "private-key-rsa"),
    ("positives/keys/tls.key", 1, BLOCK, "keys", "ec", "private-key-ec"),
    ("positives/notebooks/eval.ipynb", 17, r"hf_\w+", "ai", "huggingface", "huggingface-token"),
    ("positives/notebooks/eval.ipynb", 18, r"sk-ant-api03-[\w-]+", "ai", "anthropic", "anthropic-api-key"),
    ("positives/shop/settings.py", 4, r'"(\w+)"', "generic", "generic", None),
    ("positives/shop/settings.py", 5, r"shpat_\w+", "payments", "shopify", "shopify-access-token"),
    ("positives/shop/settings.py", 6, r"\d+:AA[\w-]+", "chat", "telegram", "telegram-bot-token"),
    ("positives/shop/settings.py", 7, r"GOCSPX-[\w-]+", "cloud", "gcp", "gcp-oauth-client-secret"),
    ("positives/web/client.js", 2, r"whsec_\w+", "payments", "stripe", "stripe-webhook-secret"),
    (
        "positives/web/client.js",
        3,
        r"https://discord\.com/api/webhooks/[\w/-]+",
        "chat",
        "discord",
        "discord-webhook-url",
    ),
]
HANDMADE_NEGATIVES = [
    "bundle.min.js",
    "ca.pem",
    "id_ed25519.pub",
    "ids.py",
    "logo.html",
    "messages.json",
    "package-lock.json",
    "placeholders.env",
    "poetry.lock",
    "settings.py",
]

GENERIC_NAMES = [
    "DB_PASSWORD",
    "SECRET_KEY",
    "API_KEY",
    "CLIENT_SECRET",
    "JWT_SECRET",
    "ENCRYPTION_KEY",
    "SESSION_SECRET",
    "SMTP_PASSWORD",
    "REDIS_PASSWORD",
    "ADMIN_PASSWORD",
    "SIGNING_KEY",
    "WEBHOOK_SECRET",
    "API_TOKEN",
    "ACCESS_TOKEN",
    "AUTH_TOKEN",
    "APP_SECRET",
    "PRIVATE_TOKEN",
    "LDAP_BIND_PASSWORD",
    "KEYSTORE_PASSWORD",
    "MASTER_PASSWORD",
    "INTERNAL_API_KEY",
    "HMAC_SECRET",
    "COOKIE_SECRET",
    "RABBITMQ_PASSWORD",
    "ELASTIC_PASSWORD",
    "MINIO_SECRET_KEY",
    "NEXTAUTH_SECRET",
    "SECRET_KEY_BASE",
    "APP_KEY",
    "SERVICE_PASSWORD",
]


# ---------------------------------------------------------------------------------------------- items


def generic_value(g: Fake, name: str) -> str:
    if name == "SECRET_KEY_BASE":
        return g.hex(128)
    if name == "APP_KEY":
        return "base64:" + g.b64(g.randbytes(32))
    kind = g.choice(["mixed", "symbols", "hex", "base64", "alnum"])
    if kind == "hex":
        return g.hex(g.choice([32, 40, 64]))
    if kind == "base64":
        while True:
            value = g.b64(g.randbytes(g.choice([24, 32, 48])))
            if re.search(r"\d", value):
                return value
    return g.mixed(g.randint(18, 36), "!%*+-_~^" if kind == "symbols" else "")


def generic_groups(g: Fake) -> list[list[Item]]:
    groups = []
    for name in GENERIC_NAMES + g.sample(GENERIC_NAMES, 15):
        value = generic_value(g, name)
        groups.append([Item("generic", "generic", name, value, value)])
    shapes = (
        ["bearer"] * 8 + ["basic"] * 4 + ["apikey-header"] * 4 + ["token-header"] * 2 + ["curl-user"] * 4 + ["flag"] * 8
    )
    for shape in shapes:
        if shape == "bearer":
            secret = g.choice([g.b64url(g.randint(32, 64)), g.hex(40), g.alnum(48)])
            text = secret
        elif shape == "basic":
            secret = g.b64(f"{g.choice(['deploy', 'svc-export', 'grafana'])}:{g.mixed(20)}".encode())
            text = secret
        elif shape in ("apikey-header", "curl-user"):
            secret = text = g.mixed(g.randint(24, 40)) if shape == "curl-user" else g.alnum(40)
        elif shape == "token-header":
            secret = text = g.hex(40)
        else:
            secret = g.mixed(g.randint(18, 28))
            text = flag_command(g, secret)
        groups.append([Item("generic", "generic", "", text, secret, kind="line", shape=shape)])
    return groups


def provider_groups(g: Fake) -> list[list[Item]]:
    groups = []
    for prov in PROVIDERS:
        for _ in range(prov.count):
            groups.append(
                [
                    Item(
                        prov.key,
                        prov.family,
                        m.name,
                        m.text,
                        m.secret,
                        m.rule,
                        "block" if prov.block else "assign",
                        decoded=m.decoded,
                    )
                    for m in prov.make(g)
                ]
            )
    return groups


# ---------------------------------------------------------------------------------------------- planning


class Paths:
    """Unique, realistic paths under positives/ or negatives/."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def claim(self, g: Fake, top: str, templates: tuple[str, ...]) -> str:
        for _ in range(200):
            rel = g.choice(templates).format(svc=g.choice(SERVICES), user=g.choice(USERS), n=g.randint(1, 99))
            path = f"{top}/{rel}"
            if path not in self.taken:
                self.taken.add(path)
                return path
        raise RuntimeError(f"no free path for {templates}")

    def first_free(self, name: str, make: Callable[[Fake], T], where: Callable[[T], str]) -> tuple[str, T]:
        """``make`` with the first of a series of seeds whose result ``where`` puts at a free path."""
        for attempt in range(50):
            made = make(Fake(f"{SEED}:{name}:{attempt}"))
            path = where(made)
            if path not in self.taken:
                self.taken.add(path)
                return path, made
        raise RuntimeError(f"no free path for {name}")


def has_dollar(group: list[Item]) -> bool:
    return any("$" in item.text for item in group)


def fill(g: Fake, carriers: list[Carrier], pool: list[list[Item]]) -> Iterator[tuple[Carrier, list[list[Item]]]]:
    """Spread ``pool`` over ``carriers`` in turn, one to ``max_groups`` groups a file."""
    turn = 0
    while pool:
        carrier = carriers[turn % len(carriers)]
        turn += 1
        fits = [grp for grp in pool if carrier.dollar_safe or not has_dollar(grp)]
        chosen = fits[: g.randint(1, carrier.max_groups)]
        if chosen:
            for grp in chosen:
                pool.remove(grp)
            yield carrier, chosen


def plan(g: Fake) -> list[tuple[Carrier, list[list[Item]]]]:
    groups = provider_groups(g) + generic_groups(g)
    g.shuffle(groups)
    assign = [grp for grp in groups if grp[0].kind == "assign"]
    lines = [grp for grp in groups if grp[0].kind == "line"]
    blocks = [grp for grp in groups if grp[0].kind == "block"]
    files: list[tuple[Carrier, list[list[Item]]]] = []
    k8s_data = [assign.pop() for _ in range(K8S_DATA_FILES * 2)]
    for i in range(K8S_DATA_FILES):
        files.append((K8S_DATA, [[for_k8s_data(item) for item in grp] for grp in k8s_data[2 * i : 2 * i + 2]]))
    by_name = {c.name: c for c in CARRIERS + BLOCK_CARRIERS}
    embedders = [c for c in CARRIERS if "block" in c.kinds]
    for grp in blocks:
        special = {"putty": "ppk", "pgp": "asc", "coinbase": "json-key"}.get(grp[0].provider)
        if special:
            files.append((by_name[special], [grp]))
        elif g.random() < 0.55:
            files.append((by_name["key-file"], [grp]))
        else:
            files.append((g.choice(embedders), [grp, assign.pop()]))
    files += fill(g, [c for c in CARRIERS if "line" in c.kinds], lines)
    files += fill(g, [c for c in CARRIERS if "assign" in c.kinds], assign)
    return files


# ---------------------------------------------------------------------------------------------- labels


def label(path: str, text: str, item: Item) -> dict:
    lines = text.split("\n")
    if item.kind == "block":
        first, last = item.text.split("\n")[0], item.text.split("\n")[-1]
        start = next(i for i, line in enumerate(lines) if first in line)
        end = next(i for i in range(start, len(lines)) if last in lines[i])
        if start and lines[start - 1].rstrip().endswith(BLOCK_OPENERS):
            start -= 1  # the key that holds the block: `tls.key: |`, `private_key = """`, `<<-EOT`
    else:
        count = text.count(item.secret)
        if count != 1:
            raise AssertionError(f"{path}: {item.secret[:20]}… occurs {count} times")
        start = end = text[: text.index(item.secret)].count("\n")
    row = {
        "path": path,
        "line": start + 1,
        "end_line": end + 1,
        "secret": item.secret,
        "family": item.family,
        "provider": item.provider,
    }
    if item.decoded:
        row["decoded"] = item.decoded
    if item.rule:
        row["rule"] = item.rule
    return row


def handmade_labels() -> list[dict]:
    rows = []
    for path, line, pattern, family, provider, rule in HANDMADE:
        lines = (HERE / path).read_text().split("\n")
        end = line
        if pattern == BLOCK:
            found = re.search(r'"(-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----(?:\\n)?)"', lines[line - 1])
            if found:
                secret = json.loads(f'"{found.group(1)}"').rstrip("\n")
            else:
                end = next(i for i in range(line, len(lines) + 1) if lines[i - 1].startswith("-----END"))
                secret = "\n".join(lines[line - 1 : end])
        else:
            found = re.search(pattern, lines[line - 1])
            if not found:
                raise AssertionError(f"{path}:{line}: {pattern} not found")
            secret = found.group(found.lastindex or 0)
        row = {"path": path, "line": line, "end_line": end, "secret": secret, "family": family, "provider": provider}
        if rule:
            row["rule"] = rule
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------- writing


def handmade_paths() -> set[str]:
    return {row[0] for row in HANDMADE} | {f"negatives/{name}" for name in HANDMADE_NEGATIVES}


def counts(files: dict[str, str]) -> dict[str, int]:
    every = set(files) | handmade_paths()
    return {top: sum(p.startswith(f"{top}/") for p in every) for top in ("positives", "negatives")}


def build() -> tuple[dict[str, str], list[dict]]:
    """Every generated file (path -> text) and every label, hand-made files included."""
    g = Fake(SEED)
    paths = Paths(handmade_paths())
    files: dict[str, str] = {}
    labels = handmade_labels()
    for carrier, groups in plan(g):
        path = paths.claim(g, "positives", carrier.paths)
        items = [item for grp in groups for item in grp]
        text = carrier.render(Fake(f"{SEED}:{path}"), items)
        files[path] = text
        labels += [label(path, text, item) for item in items]
    for recipe, count in RECIPES:
        for n in range(count):
            path, (_rel, text, items) = paths.first_free(
                f"{recipe.__name__}:{n}", recipe, lambda r: f"positives/{r[0]}"
            )
            files[path] = text
            labels += [label(path, text, item) for item in items]
    for noise, count, templates in NEGATIVES:
        for n in range(count):
            path, rg = paths.first_free(
                f"{noise.__name__}:{n}", lambda g: g, lambda g, t=templates: "negatives/" + path_for(g, t)
            )
            files[path] = noise(rg)
    labels.sort(key=lambda r: (r["path"], r["line"], r["secret"]))
    return files, labels


def manifest(files: dict[str, str], labels: list[dict]) -> str:
    providers = sorted({(r["provider"], r["family"]) for r in labels})
    doc = {
        "description": "Planted secrets in corpus/positives (every one fake); corpus/negatives holds none. "
        "Written by corpus/generate.py; see corpus/README.md for how a finding matches a label.",
        "seed": SEED,
        "files": counts(files),
        "providers": dict(providers),
        "labels": labels,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def write(root: Path, files: dict[str, str], labels: list[dict]) -> None:
    keep = {root / p for p in set(files) | handmade_paths()}
    for top in ("positives", "negatives"):
        for path in sorted((root / top).rglob("*"), reverse=True):
            if path.is_file() and path not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    (root / "manifest.json").write_text(manifest(files, labels), encoding="utf-8")


def check(files: dict[str, str], labels: list[dict]) -> list[str]:
    """Differences between the committed corpus and what build() writes."""
    problems = []
    for rel, text in files.items():
        path = HERE / rel
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            problems.append(f"differs: {rel}")
    known = set(files) | handmade_paths()
    for top in ("positives", "negatives"):
        problems += [
            f"not generated: {p.relative_to(HERE)}"
            for p in (HERE / top).rglob("*")
            if p.is_file() and str(p.relative_to(HERE)) not in known
        ]
    if (HERE / "manifest.json").read_text(encoding="utf-8") != manifest(files, labels):
        problems.append("differs: manifest.json")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed corpus instead of writing")
    args = parser.parse_args(argv)
    files, labels = build()
    if args.check:
        problems = check(files, labels)
        print("\n".join(problems) or "corpus is up to date")
        return 1 if problems else 0
    write(HERE, files, labels)
    n = counts(files)
    print(f"{n['positives']} positive files, {n['negatives']} negative files, {len(labels)} labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
