"""Labelled examples taken from public scanners' own rule and test files, read from bare git mirrors.

One extractor per peer: gitleaks (``tps``/``fps`` of ``cmd/generate/config/rules/*.go``, literal ones
only), Kingfisher (``examples``/``negative_examples`` of ``data/rules/*.yml``), TruffleHog (``input``/
``want`` of the detectors' pattern tests), detect-secrets (``payload, should_flag`` parametrisations of
``tests/plugins``), Semgrep (the lines under ``ruleid:``/``ok:`` comments of ``generic/secrets`` tests)
and secretlint (each rule's ``ng.*``/``ok.*`` snapshot inputs). These are the peers' fake examples: they
are written under ``benchmarks/.work`` only.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import regex
import yaml
from accuracy_golit import Node, Parser, Tok, bindings, evaluate, tokens


@dataclass(frozen=True)
class Example:
    source: str  # gitleaks, kingfisher, trufflehog, detect-secrets, settings, noseyparker
    rule: str  # the peer's rule or detector the example belongs to
    positive: bool
    text: str
    origin: str  # path in the peer's repository
    secret: str | None = None  # the secret inside ``text``, when known
    setting: str = ""  # for the realistic settings: which one (dotenv, yaml, …)
    group: str = ""  # the example the split follows (a setting follows the example it wraps)

    @property
    def ident(self) -> str:
        return hashlib.sha256(f"{self.setting}\0{self.text}".encode()).hexdigest()[:16]

    @property
    def split_key(self) -> str:
        return self.group or self.ident


@dataclass(frozen=True)
class Mirror:
    source: str
    repo: str  # owner/name on GitHub
    prefix: str  # folder holding the examples
    suffix: str
    extract: Callable[[dict[str, str]], Iterator[Example]]

    def gitdir(self, root: Path) -> Path:
        return root / self.repo.replace("/", "+") / "repo"


def read_tree(gitdir: Path, prefix: str, suffix: str) -> dict[str, str]:
    """Every file under ``prefix`` ending in ``suffix`` at HEAD of a bare repository, by path."""
    git = ["git", "--git-dir", str(gitdir)]
    names = subprocess.run(
        [*git, "ls-tree", "-r", "--name-only", "HEAD", "--", prefix], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    paths = sorted(n for n in names if n.endswith(suffix))
    batch = subprocess.run(
        [*git, "cat-file", "--batch"],
        input="".join(f"HEAD:{p}\n" for p in paths).encode(),
        capture_output=True,
        check=True,
    ).stdout
    out, pos = {}, 0
    for path in paths:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        out[path] = batch[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace")
        pos = header_end + 1 + size + 1
    return out


# ---------------------------------------------------------------------------------------------- gitleaks

SAMPLE_CALLS = {"utils.GenerateSampleSecrets", "utils.GenerateSampleSecret"}


def listed(node: Node, env: dict[str, str]) -> Iterator[tuple[str, str | None]]:
    """(example, secret) of a gitleaks ``tps``/``fps`` expression, literal parts only."""
    kind = node[0]
    if kind == "list":
        for elem in node[1]:
            yield from listed(elem, env)
    elif kind == "call" and node[1] == "append":
        for arg in node[2][1:]:
            yield from listed(arg, env)
    elif kind == "call" and node[1] in SAMPLE_CALLS and len(node[2]) == 2:
        name, secret = (evaluate(a, env) for a in node[2])
        if name is not None and secret:
            yield f'{name}_api_token = "{secret}"', secret  # utils.GenerateSampleSecret's own form
    else:
        value = evaluate(node, env)
        if value and value.strip():
            yield value, None


def go_files(files: dict[str, str], skip: str) -> Iterator[tuple[str, list[Tok], dict[str, str]]]:
    """Path, tokens and constant strings of each Go file whose name does not end in ``skip``."""
    for path, source in files.items():
        if not path.endswith(skip):
            toks = tokens(source)
            yield path, toks, bindings(toks)


def gitleaks(files: dict[str, str]) -> Iterator[Example]:
    for path, toks, env in go_files(files, "_test.go"):
        rule = ""
        for i, tok in enumerate(toks[:-2]):
            if tok.text == "RuleID" and toks[i + 1].text == ":" and toks[i + 2].kind == "str":
                rule = toks[i + 2].value or rule
            elif tok.text in {"tps", "fps"} and toks[i + 1].text in {":=", "="} and toks[i - 1].text != ".":
                for text, secret in listed(Parser(toks, i + 2).expr(), env):
                    yield Example("gitleaks", rule, tok.text == "tps", text, path, secret)


# ---------------------------------------------------------------------------------------------- Kingfisher


def first_secret(pattern: str, text: str) -> str | None:
    """What the rule's own pattern captures in its example (group 1, else the match)."""
    try:
        m = regex.search(pattern, text, timeout=1.0)
    except (regex.error, TimeoutError, ValueError):
        return None
    if not m:
        return None
    return (m.group(1) if m.re.groups else m.group()) or None


def rules_yaml(source: str) -> Callable[[dict[str, str]], Iterator[Example]]:
    """The examples of rule files in Nosey Parker's YAML format (Kingfisher's too): each rule's
    ``examples`` (positive) and ``negative_examples``."""

    def extract(files: dict[str, str]) -> Iterator[Example]:
        for path, text_of_file in files.items():
            try:
                data = yaml.safe_load(text_of_file) or {}
            except yaml.YAMLError:
                continue
            for rule in data.get("rules") or []:
                rid = f"{rule.get('id', '')} {rule.get('name', '')}".strip()
                for key, positive in (("examples", True), ("negative_examples", False)):
                    for text in rule.get(key) or []:
                        if isinstance(text, str) and text.strip():
                            secret = first_secret(rule.get("pattern", ""), text) if positive else None
                            yield Example(source, rid, positive, text, path, secret)

    return extract


# ---------------------------------------------------------------------------------------------- TruffleHog


def want_of(node: Node, env: dict[str, str]) -> list[str] | None:
    if node == ("name", "nil"):
        return []
    if node[0] != "list":
        return None
    values = [evaluate(e, env) for e in node[1]]
    return None if None in values else values  # type: ignore[return-value]


def case_name(toks: list[Tok], at: int) -> str:
    """The ``name:`` of the test case whose ``input:`` is at ``at`` (written just before it), else ""."""
    for j in range(at - 1, max(at - 8, 0), -1):
        if toks[j].text == "name" and toks[j + 1].text == ":" and toks[j + 2].kind == "str":
            return (toks[j + 2].value or "").lower()
    return ""


def detector_limit(name: str) -> bool:
    """An empty ``want`` on a case named valid ("valid pattern - key out of prefix range"): a secret the
    detector skips by design (its keyword too far away), not a negative; such cases are left out."""
    return bool(re.search(r"\bvalid\b", name))


def trufflehog(files: dict[str, str]) -> Iterator[Example]:
    for path, toks, env in go_files(files, "_integration_test.go"):
        rule = "-".join(path.split("/")[2:-1])
        for i, tok in enumerate(toks[:-1]):
            if tok.text != "input" or toks[i + 1].text != ":" or toks[i - 1].text not in {"{", ","}:
                continue
            parser = Parser(toks, i + 2)
            text = evaluate(parser.expr(), env)
            want = None
            j = parser.i
            while j < len(toks) - 1 and toks[j].text not in {"}", "input"}:
                if toks[j].text == "want" and toks[j + 1].text == ":":
                    want = want_of(Parser(toks, j + 2).expr(), env)
                    break
                j += 1
            if not text or not text.strip() or want is None or (not want and detector_limit(case_name(toks, i))):
                continue
            secret = want[0] if len(want) == 1 and want[0] and want[0] in text else None
            yield Example("trufflehog", rule, bool(want), text, path, secret)


# ---------------------------------------------------------------------------------------------- detect-secrets


def detect_secrets(files: dict[str, str]) -> Iterator[Example]:
    for path, source in files.items():
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        rule = Path(path).stem.removesuffix("_test")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize"):
                continue
            if len(node.args) < 2 or not isinstance(node.args[0], ast.Constant):
                continue
            names = [n.strip() for n in str(node.args[0].value).split(",")]
            if "should_flag" not in names or not {"payload", "line"} & set(names):
                continue
            at, flag_at = names.index("payload" if "payload" in names else "line"), names.index("should_flag")
            for elt in getattr(node.args[1], "elts", []):
                try:
                    row = ast.literal_eval(elt)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(row, tuple) and len(row) == len(names):
                    text, flag = row[at], row[flag_at]
                    if isinstance(text, str) and text.strip() and isinstance(flag, bool):
                        bare = flag and not any(c.isspace() for c in text.strip())
                        yield Example("detect-secrets", rule, flag, text, path, text.strip() if bare else None)


# ---------------------------------------------------------------------------------------------- Semgrep

_ANNOTATION = re.compile(r"^\W*(ruleid|ok):\s*([\w.-]+)")


def semgrep(files: dict[str, str]) -> Iterator[Example]:
    """The line under each ``ruleid: RULE`` (positive) or ``ok: RULE`` (negative) comment of a rule's test
    file; a ``-----BEGIN`` line takes the block to its ``-----END`` line (or to the next annotation)."""
    for path, text_of_file in files.items():
        if path.endswith((".yaml", ".yml")):
            continue
        lines = text_of_file.splitlines()
        for i, line in enumerate(lines[:-1]):
            m = _ANNOTATION.match(line)
            if not m or _ANNOTATION.match(lines[i + 1]):
                continue
            end = i + 2
            if "-----BEGIN" in lines[i + 1]:
                while end < len(lines) and "-----END" not in lines[end - 1] and not _ANNOTATION.match(lines[end]):
                    end += 1
            text = "\n".join(lines[i + 1 : end]) + "\n"
            if text.strip():
                yield Example("semgrep", m.group(2), m.group(1) == "ruleid", text, path)


# ---------------------------------------------------------------------------------------------- secretlint

# Rules that judge a file's name or kind, or a user's pattern, not a secret in its text.
_SECRETLINT_SKIP = ("no-dotenv", "no-homedir", "no-k8s-kind-secret", "filter-comments", "rule-pattern",
                    "rule-example", "preset-")  # fmt: skip


def secretlint(files: dict[str, str]) -> Iterator[Example]:
    """Each rule's snapshot ``input*`` under ``test/snapshots/<case>/``, positive when the case's
    ``output.json`` reports a message (the secret known when it reports one); cases with their own
    ``.secretlintrc.json`` (options that change the label) and binary inputs are left out."""
    cases: dict[str, dict[str, str]] = {}
    for path, text in files.items():
        case, _, name = path.rpartition("/")
        cases.setdefault(case, {})[name] = text
    for case, parts in sorted(cases.items()):
        if "/test/snapshots/" not in case or any(s in case for s in _SECRETLINT_SKIP) or ".secretlintrc.json" in parts:
            continue
        rule = case.split("/")[2].removeprefix("secretlint-rule-")
        inputs = [n for n in parts if n.startswith("input")]
        if len(inputs) != 1 or "output.json" not in parts or "\ufffd" in parts[inputs[0]]:
            continue
        text = parts[inputs[0]]
        try:
            messages = json.loads(parts["output.json"]).get("messages") or []
        except json.JSONDecodeError:
            continue
        spans = {tuple(m["range"]) for m in messages if isinstance(m.get("range"), list)}
        secret = text[slice(*next(iter(spans)))] if len(spans) == 1 else None
        if text.strip():
            yield Example("secretlint", rule, bool(messages), text, f"{case}/{inputs[0]}", secret or None)


MIRRORS = (
    Mirror("gitleaks", "gitleaks/gitleaks", "cmd/generate/config/rules", ".go", gitleaks),
    Mirror("kingfisher", "mongodb/kingfisher", "data/rules", ".yml", rules_yaml("kingfisher")),
    Mirror("trufflehog", "trufflesecurity/trufflehog", "pkg/detectors", "_test.go", trufflehog),
    Mirror("detect-secrets", "Yelp/detect-secrets", "tests/plugins", "_test.py", detect_secrets),
)


# Added after the tune/holdout corpus had been tuned on and scored: every example of these goes to the
# "fresh" split (never tuned on), unless its text is already one of another source's examples.
FRESH_MIRRORS = (
    Mirror("noseyparker", "praetorian-inc/noseyparker", "crates/noseyparker/data/default/builtin/rules", ".yml",
           rules_yaml("noseyparker")),
)  # fmt: skip

# Added in session 8, after the fresh sources had been tuned on: their examples whose text no earlier source
# has go to the "fresh2" splits.
FRESH2_MIRRORS = (
    Mirror("semgrep", "semgrep/semgrep-rules", "generic/secrets", "", semgrep),
    Mirror("secretlint", "secretlint/secretlint", "packages/@secretlint", "", secretlint),
)


def unique(examples: Iterator[Example]) -> list[Example]:
    """One example per text and source; a text a source labels both ways is dropped."""
    labels: dict[tuple[str, str], set[bool]] = {}
    first: dict[tuple[str, str], Example] = {}
    for ex in examples:
        key = (ex.source, ex.text)
        labels.setdefault(key, set()).add(ex.positive)
        first.setdefault(key, ex)
    return [ex for key, ex in first.items() if len(labels[key]) == 1]


def extract(mirror: Mirror, gitdir: Path) -> list[Example]:
    return unique(mirror.extract(read_tree(gitdir, mirror.prefix, mirror.suffix)))
