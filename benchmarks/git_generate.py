#!/usr/bin/env python3
"""Generate a large, realistic git history with ``git fast-import``, for benchmarking ``veil git``.

The repository gets source-like files (Python, JavaScript, Go, YAML, Markdown) that change a few lines at
a time, new files, deletions, renames, topic branches merged back into ``main`` with real merge commits,
a few unmerged branches, and a handful of planted fake secrets (GitHub tokens, AWS key ids) — some
removed later, some still at the tip, one only on an unmerged branch. What was planted is written to
``<repo>.planted.json`` next to the repository.

    python benchmarks/git_generate.py benchmarks/.work/git/repo.git              # default: 5,000 commits
    python benchmarks/git_generate.py benchmarks/.work/git/big.git --full        # the issue's size: 24,000 commits
    python benchmarks/git_generate.py OUT --commits 20000 --files 3000 --churn 8 --secrets 12

Everything is deterministic for a given ``--seed``. The result is a bare repository, repacked the way a
clone from a server is (``git repack -adf``) unless ``--no-repack``. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

WORDS = [
    "request", "response", "client", "server", "value", "config", "handler", "error", "result", "buffer",
    "stream", "parse", "render", "update", "delete", "create", "fetch", "store", "cache", "index", "query",
    "filter", "source", "target", "record", "batch", "queue", "worker", "session", "account", "user", "admin",
    "profile", "payment", "order", "invoice", "report", "metric", "event", "signal", "timer", "retry", "limit",
    "offset", "cursor", "page", "item", "list", "map", "set", "name", "path", "file", "line", "column", "node",
    "tree", "graph", "edge", "build", "deploy", "release", "version", "schema", "field", "table", "row",
    "commit", "branch", "merge", "diff", "patch", "hook", "state", "context", "options", "settings", "logger",
    "message", "status", "code", "header", "body", "content", "payload", "channel", "socket", "address", "port",
    "host", "domain", "route", "view", "model", "form", "widget", "layout", "style", "theme", "color", "image",
    "asset", "bundle", "module", "package", "plugin", "driver", "engine", "task", "job", "pool", "thread",
    "lock", "mutex", "future", "promise", "callback", "listener", "observer", "visitor", "factory", "builder",
    "adapter", "proxy", "wrapper", "decorator", "iterator", "generator", "reader", "writer", "encoder",
    "decoder", "parser", "lexer", "scanner", "compiler", "runtime", "memory", "heap", "frame", "scope",
    "symbol", "type", "class", "method", "function", "param", "arg", "result", "total", "count", "size",
    "length", "width", "height", "depth", "level", "rank", "score", "weight", "ratio", "rate", "delta", "min",
    "max", "avg", "sum", "first", "last", "next", "prev", "head", "tail", "start", "end", "begin", "finish",
    "open", "close", "load", "save", "read", "write", "send", "receive", "connect", "listen", "accept",
    "reject", "resolve", "validate", "verify", "check", "test", "assert", "expect", "mock", "stub", "fake",
    "sample", "data", "info", "debug", "trace", "warn", "notify", "alert", "email", "phone", "address", "city",
    "country", "region", "zone", "locale", "language", "currency", "price", "amount", "balance", "credit",
    "debit", "ledger", "journal", "entry", "archive", "backup", "restore", "migrate", "upgrade", "rollback",
]
# Words secret-detection rules key on, as rare as in real code: CPython 3.11's standard library has about
# 80 "token" and 18 "password" per MB of source. Repeated entries weigh more.
RARE = ["token", "token", "token", "token", "key", "key", "key", "key", "password", "secret", "auth"]
RARE_RATE = 0.0018
EXTENSIONS = (".py", ".py", ".py", ".js", ".go", ".yaml", ".md")
FOLDERS = ("src", "src/core", "src/api", "src/util", "lib", "lib/net", "cmd", "config", "docs", "tests", "web")
SECRET_ALPHABET = string.ascii_letters + string.digits
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
AWS_ALPHABET = string.ascii_uppercase + "234567"
EPOCH_SPAN = 3 * 365 * 86400  # the history spans three years, ending now


@dataclass(frozen=True)
class Size:
    commits: int
    files: int
    churn: int
    file_kb: float


DEFAULT = Size(commits=5_000, files=1_500, churn=6, file_kb=8)
FULL = Size(commits=24_000, files=4_000, churn=10, file_kb=12)


@dataclass
class Planted:
    secret: str
    rule: str
    path: str
    branch: str
    added_mark: int
    removed_mark: int | None = None
    added_sha: str = ""
    removed_sha: str | None = None
    partner: str = ""  # the AWS secret access key that goes with a key id


@dataclass
class Line:
    """A branch under construction: its files (path -> lines) and last commit mark."""

    name: str
    files: dict[str, list[str]]
    mark: int | None = None
    touched: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)


class Generator:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rng = random.Random(args.seed)
        self.mark = 0
        self.commit_no = 0
        self.t0 = int(time.time()) - EPOCH_SPAN
        self.authors = [
            (f"{self.rng.choice(['Ada', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal'])} {n}", f"dev{n}@example.com")
            for n in range(30)
        ]
        self.pool = [self._line() for _ in range(40_000)]
        self.planted: list[Planted] = []
        self.out = None
        self.file_no = 0

    # ---------------------------------------------------------------------------------------- content

    def _words(self, k: int) -> list[str]:
        return [self.rng.choice(RARE) if self.rng.random() < RARE_RATE else self.rng.choice(WORDS) for _ in range(k)]

    def _ident(self) -> str:
        return "_".join(self._words(self.rng.randint(1, 3)))

    def _line(self) -> str:
        r = self.rng.random()
        indent = "    " * self.rng.randint(0, 3)
        if r < 0.15:
            return f"{indent}# {' '.join(self._words(self.rng.randint(3, 12)))}"
        if r < 0.30:
            return f"{indent}def {self._ident()}({', '.join(self._ident() for _ in range(self.rng.randint(0, 3)))}):"
        if r < 0.55:
            return f"{indent}{self._ident()} = {self._ident()}({self._ident()}, {self.rng.randint(0, 9999)})"
        if r < 0.70:
            return f"{indent}if {self._ident()} > {self.rng.randint(0, 100)} and not {self._ident()}:"
        if r < 0.80:
            return f'{indent}log.info("{" ".join(self._words(self.rng.randint(2, 7)))}")'
        if r < 0.90:
            return f"{indent}return {self._ident()}.{self._ident()}()"
        return ""

    def _new_file(self) -> list[str]:
        target = max(200, int(self.rng.gauss(self.args.file_kb * 1024, self.args.file_kb * 300)))
        lines: list[str] = []
        size = 0
        while size < target:
            line = self.rng.choice(self.pool)
            lines.append(line)
            size += len(line) + 1
        return lines

    def _new_path(self) -> str:
        self.file_no += 1
        return f"{self.rng.choice(FOLDERS)}/{self._ident()}_{self.file_no}{self.rng.choice(EXTENSIONS)}"

    def _edit(self, lines: list[str]) -> None:
        for _ in range(self.rng.randint(1, 4)):
            kind = self.rng.random()
            at = self.rng.randrange(len(lines) + 1)
            if kind < 0.5 or not lines:
                lines[at:at] = [self.rng.choice(self.pool) for _ in range(self.rng.randint(1, 12))]
            elif kind < 0.8:
                n = self.rng.randint(1, 8)
                lines[at : at + n] = [self.rng.choice(self.pool) for _ in range(n)]
            else:
                del lines[at : at + self.rng.randint(1, 10)]
        target = self.args.file_kb * 1024
        if len(lines) > 2 * target / 30:  # keep files around their target size
            del lines[: len(lines) // 3]

    # ---------------------------------------------------------------------------------------- output

    def _data(self, text: str) -> None:
        raw = text.encode()
        self.out.write(b"data %d\n" % len(raw))
        self.out.write(raw)
        self.out.write(b"\n")

    def _commit(self, line: Line, changes: dict[str, list[str] | None], message: str, merge: Line | None = None) -> int:
        self.mark += 1
        self.commit_no += 1
        name, email = self.rng.choice(self.authors)
        when = self.t0 + int(EPOCH_SPAN * self.commit_no / (self.total + 1))
        out = self.out
        out.write(f"commit refs/heads/{line.name}\nmark :{self.mark}\n".encode())
        out.write(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
        self._data(message)
        if line.mark is not None:
            out.write(f"from :{line.mark}\n".encode())
        if merge is not None:
            out.write(f"merge :{merge.mark}\n".encode())
        for path, lines in sorted(changes.items()):
            if lines is None:
                out.write(f"D {path}\n".encode())
            else:
                out.write(f"M 100644 inline {path}\n".encode())
                self._data("\n".join(lines) + "\n")
        line.mark = self.mark
        return self.mark

    # ---------------------------------------------------------------------------------------- history

    def _secret(self) -> tuple[str, str, list[str], str]:
        """A fake but well-formed secret: (what a report must name, rule, lines to insert, its partner)."""
        if self.rng.random() < 0.5:
            while True:  # a classic GitHub token: 30 random characters and their CRC32 in 6 base62 digits
                body = "".join(self.rng.choices(SECRET_ALPHABET, k=30))
                crc = zlib.crc32(body.encode())
                if crc >= 62**5:
                    break
            digits = ""
            while crc:
                crc, r = divmod(crc, 62)
                digits = BASE62[r] + digits
            token = f"ghp_{body}{digits}"
            return token, "github-pat", [f'GITHUB_TOKEN = "{token}"'], ""
        key = "AKIA" + "".join(self.rng.choices(AWS_ALPHABET, k=16))
        secret = "".join(self.rng.choices(SECRET_ALPHABET + "/+", k=40))
        return key, "aws-access-key-id", [f"aws_access_key_id = {key}", f"aws_secret_access_key = {secret}"], secret

    def _step(self, line: Line, allowed: list[str], plants: dict[int, str]) -> None:
        """One ordinary commit on ``line``: edit ``churn`` files, sometimes add, delete or rename one."""
        changes: dict[str, list[str] | None] = {}
        files = line.files
        n = max(1, int(self.rng.gauss(self.args.churn, self.args.churn / 3)))
        for path in self.rng.sample(allowed, min(n, len(allowed))):
            if path in files:
                self._edit(files[path])
                changes[path] = files[path]
        r = self.rng.random()
        if r < 0.08:
            path = self._new_path()
            files[path] = self._new_file()
            changes[path] = files[path]
        elif r < 0.11 and len(files) > 10:
            path = self.rng.choice(allowed)
            if path in files and not any(p.path == path and p.removed_mark is None for p in self.planted):
                del files[path]
                changes[path] = None
                line.deleted.add(path)
        elif r < 0.13 and len(files) > 10:
            path = self.rng.choice(allowed)
            if path in files and not any(p.path == path and p.removed_mark is None for p in self.planted):
                new = path.rsplit("/", 1)[0] + f"/renamed_{self.file_no}_" + path.rsplit("/", 1)[1]
                self.file_no += 1
                files[new] = files.pop(path)
                changes[path] = None
                changes[new] = files[new]
                line.deleted.add(path)
        due = sorted(k for k in plants if k <= self.commit_no + 1)
        kinds = [plants.pop(k) for k in due]
        if "add" in kinds:
            secret, rule, text, partner = self._secret()
            path = self.rng.choice([p for p in allowed if p in files])
            at = self.rng.randrange(len(files[path]) + 1)
            files[path][at:at] = text
            changes[path] = files[path]
            self.planted.append(Planted(secret, rule, path, line.name, self.mark + 1, partner=partner))
        if "remove" in kinds:
            live = [p for p in self.planted if p.removed_mark is None and p.branch == line.name and p.path in files]
            if live:
                p = self.rng.choice(live)
                files[p.path] = [x for x in files[p.path] if p.secret not in x and not (p.partner and p.partner in x)]
                changes[p.path] = files[p.path]
                p.removed_mark = self.mark + 1
        line.touched.update(changes)
        self._commit(line, changes, f"{self.rng.choice(WORDS)}: {' '.join(self.rng.choices(WORDS, k=5))}")

    def run(self, out) -> None:
        self.out = out
        args = self.args
        self.total = args.commits
        main = Line("main", {})
        initial = {self._new_path(): self._new_file() for _ in range(args.files)}
        main.files = {p: list(v) for p, v in initial.items()}
        self._commit(main, dict(initial), "initial import")
        # plant secrets: half removed later, the rest left at the tip
        plants: dict[int, str] = {}
        for i in range(args.secrets):
            at = self.rng.randrange(2, max(3, int(args.commits * 0.9)))
            plants[at] = "add"
            if i % 2 == 0:
                plants.setdefault(min(args.commits - 1, at + self.rng.randint(5, max(6, args.commits // 5))), "remove")
        topic = 0
        while self.commit_no < args.commits:
            paths = list(main.files)
            if args.branch_every and self.commit_no % args.branch_every == 0 and self.commit_no + 8 < args.commits:
                topic += 1
                # a topic branch edits its own half of the files while main goes on with the other half
                self.rng.shuffle(paths)
                mine, theirs = paths[: len(paths) // 2], paths[len(paths) // 2 :]
                side = Line(f"topic/{topic}", {p: list(v) for p, v in main.files.items()}, main.mark)
                for _ in range(self.rng.randint(2, 8)):
                    self._step(side, mine, plants)
                    if self.rng.random() < 0.5:
                        self._step(main, theirs, plants)
                if topic % 10 == 0:
                    continue  # every tenth topic branch is never merged
                changes = {p: side.files.get(p) for p in side.touched}
                for p in side.touched:
                    if p in side.files:
                        main.files[p] = side.files[p]
                    else:
                        main.files.pop(p, None)
                for p in self.planted:
                    if p.branch == side.name and (p.removed_mark is None or p.removed_mark > (main.mark or 0)):
                        p.branch = "main"
                self._commit(main, changes, f"Merge branch '{side.name}'", merge=side)
            else:
                self._step(main, paths, plants)
        out.write(b"done\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the bare repository to create (replaced if it exists)")
    p.add_argument("--full", action="store_true", help=f"the issue's size: {FULL}")
    p.add_argument("--commits", type=int, help=f"commits (default {DEFAULT.commits})")
    p.add_argument("--files", type=int, help=f"files in the first commit (default {DEFAULT.files})")
    p.add_argument("--churn", type=int, help=f"files changed per commit, on average (default {DEFAULT.churn})")
    p.add_argument("--file-kb", type=float, help=f"average file size in KB (default {DEFAULT.file_kb})")
    p.add_argument("--secrets", type=int, default=8, help="fake secrets to plant (default 8)")
    p.add_argument("--branch-every", type=int, default=40, help="open a topic branch every N commits (0: none)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-repack", action="store_true", help="keep fast-import's pack as it is")
    args = p.parse_args(argv)
    size = FULL if args.full else DEFAULT
    for name in ("commits", "files", "churn", "file_kb"):
        if getattr(args, name) is None:
            setattr(args, name, getattr(size, name))
    return args


def git(repo: Path, *argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *argv], check=True, **kw)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repo: Path = args.out.resolve()
    if repo.exists():
        shutil.rmtree(repo)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(repo)], check=True)
    started = time.perf_counter()
    gen = Generator(args)
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--done", f"--export-marks={repo}/veil-marks"],
        stdin=subprocess.PIPE,
    )
    gen.run(proc.stdin)
    proc.stdin.close()
    if proc.wait():
        raise SystemExit(f"git fast-import failed with exit {proc.returncode}")
    imported = time.perf_counter() - started
    marks = dict(line.split() for line in (repo / "veil-marks").read_text().splitlines())
    (repo / "veil-marks").unlink()
    for p in gen.planted:
        p.added_sha = marks[f":{p.added_mark}"]
        p.removed_sha = marks[f":{p.removed_mark}"] if p.removed_mark else None
    if not args.no_repack:
        git(repo, "repack", "-a", "-d", "-f", "-q", "--window=10", "--depth=50")
    git(repo, "symbolic-ref", "HEAD", "refs/heads/main")
    blob_bytes = sum(
        int(line.split()[2])
        for line in git(
            repo,
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname) %(objecttype) %(objectsize)",
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        if line.split()[1] == "blob"
    )
    pack = sum(f.stat().st_size for f in (repo / "objects" / "pack").glob("*.pack"))
    facts = {
        "commits": gen.commit_no,
        "blob_bytes": blob_bytes,
        "pack_bytes": pack,
        "refs": len(git(repo, "for-each-ref", capture_output=True, text=True).stdout.splitlines()),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "planted": [vars(p) for p in gen.planted],
    }
    Path(str(repo) + ".planted.json").write_text(json.dumps(facts, indent=2) + "\n")
    print(
        f"{repo}: {gen.commit_no:,} commits, {blob_bytes / 1e6:,.0f} MB of blobs, pack {pack / 1e6:,.0f} MB, "
        f"{len(gen.planted)} planted secrets; import {imported:.0f}s, total {time.perf_counter() - started:.0f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
