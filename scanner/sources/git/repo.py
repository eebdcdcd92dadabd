"""The git CLI underneath: open a repository, parse one ``git log --raw`` pass, read blobs with ``cat-file``.

Everything a scan runs goes through the ``git`` command: it is the one git implementation that knows
every repository format (index v4, reftable, ``GIT_DIR``/``GIT_INDEX_FILE`` set by a hook, ``@{upstream}``),
and ``cat-file --batch`` streams blobs faster than GitPython's object databases (benchmarks/git_odb.py).
GitPython serves what is off that path: finding a repository and reading its configuration for
``veil install-hook`` (:func:`hooks_folder`), and listing a superproject's submodules (:func:`submodules`).
It is imported only there: importing it costs about 50 ms, a third of a pre-commit run.
"""

from __future__ import annotations

import configparser
import contextlib
import difflib
import os
import shlex
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ...errors import VeilError

# One metadata pass: per commit its parents, author and dates, and the blobs it changed against its
# first parent (merges included). %x01 starts a commit record; -z separates every field with NUL.
LOG_FORMAT = "%x01%H%x00%P%x00%an%x00%ae%x00%at%x00%aI%x00%ct"
LOG_FIELDS = 7
LOG_ARGS = (
    "-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "core.quotePath=false",
    "log", "--no-renames", "--raw", "--no-abbrev", "-z", "--diff-merges=first-parent",
    "--no-ext-diff", "--no-color", f"--format={LOG_FORMAT}",
)  # fmt: skip
GITLINK = "160000"  # a submodule: its "blob" is a commit of another repository
BATCH_LIMIT = 512  # object names written to cat-file at once (at most 65 bytes each: under a 64 KB pipe buffer)


class GitError(VeilError):
    """Git could not do what was asked (not a repository, unknown revision …); exit code 2."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return env


def is_git_date(value: str) -> bool:
    """Whether git reads ``value`` as a date. ``git log --since`` takes anything (garbage is "now");
    git's own careful parser, the one behind ``--type=expiry-date``, refuses what it cannot read."""
    env = {**_env(), "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "veil.since", "GIT_CONFIG_VALUE_0": value}
    check = subprocess.run(["git", "config", "--type=expiry-date", "veil.since"], env=env, capture_output=True,
                           stdin=subprocess.DEVNULL)
    return check.returncode == 0


def _store_size(objects: str) -> int:
    """Bytes in packs and loose objects (no need to ask git: it is only a hint)."""
    total = 0
    for folder, _dirs, files in os.walk(objects):
        for name in files:
            if name.endswith(".pack") or len(name) >= 38 and "pack" not in folder:
                with contextlib.suppress(OSError):
                    total += os.stat(os.path.join(folder, name)).st_size
    return total


def _first_line(text: bytes) -> str:
    """Git's message, on one line; for a repository another user owns, with git's own way to trust it."""
    lines = [ln.strip() for ln in text.decode("utf-8", "replace").splitlines() if ln.strip()]
    if not lines:
        return "git failed"
    trust = [ln for ln in lines if ln.startswith("git config --global --add safe.directory")]
    return lines[0].removeprefix("fatal: ") + (f"; to trust it: {trust[0]}" if trust else "")


@dataclass
class Repo:
    """A repository opened through the git CLI; ``path`` is what ``git -C`` is given."""

    path: str
    git_dir: str
    bare: bool
    shallow: bool
    head: str | None  # the commit HEAD points at; None on an unborn branch
    head_ref: str | None  # refs/heads/main, or None when HEAD is detached
    object_bytes: int = 0  # packed + loose, from count-objects: decides whether to start workers
    _env: dict[str, str] = field(default_factory=_env, repr=False)

    @classmethod
    def open(cls, path: str) -> Repo:
        if not os.path.exists(path):
            raise GitError(f"{path}: no such file or directory")
        if not os.path.isdir(path):
            raise GitError(f"{path}: a file, not a repository (`veil scan {shlex.quote(path)}` scans a file)")
        probe = ["git", "-C", path, "rev-parse", "--absolute-git-dir", "--is-bare-repository",
                 "--is-shallow-repository"]
        proc = subprocess.run([*probe, "HEAD", "--symbolic-full-name", "HEAD"], capture_output=True, env=_env())
        if proc.returncode:  # an unborn HEAD, or not a repository at all
            proc = subprocess.run(probe, capture_output=True, env=_env())
            if proc.returncode:
                raise GitError(f"{path}: {_first_line(proc.stderr)}")
        lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
        git_dir, bare, shallow = lines[:3]
        head = lines[3] if len(lines) > 4 else None
        head_ref = lines[4] if head and lines[4].startswith("refs/") else None
        repo = cls(path, git_dir, bare == "true", shallow == "true", head, head_ref)
        repo.object_bytes = _store_size(os.path.join(git_dir, "objects"))
        return repo

    def argv(self, *args: str) -> list[str]:
        return ["git", "-C", self.path, *args]

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        proc = subprocess.run(self.argv(*args), input=input, capture_output=True, env=self._env)
        if check and proc.returncode:
            raise GitError(f"git {args[0]}: {_first_line(proc.stderr)}")
        return proc.stdout

    def popen(self, *args: str, stdin: int | None = None, stderr: int | None = subprocess.PIPE) -> subprocess.Popen:
        return subprocess.Popen(
            self.argv(*args), stdin=stdin, stdout=subprocess.PIPE, stderr=stderr, env=self._env
        )

    def resolve(self, rev: str, missing_ok: bool = False, what: str = "") -> str | None:
        """The commit ``rev`` names, or None (``missing_ok``) when it names nothing.

        Otherwise a :class:`GitError` naming ``rev`` (and ``what`` asked for it: ``--branch`` …), what it
        names instead of a commit, or the refs it may have meant (``origin/main`` for ``main`` in CI)."""
        out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
        sha = out.decode().strip()
        if sha or missing_ok:
            return sha or None
        raise GitError(f"{what + ': ' if what else ''}{rev!r} {self._not_a_commit(rev)}")

    def _not_a_commit(self, rev: str) -> str:
        obj = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev, check=False).decode().strip()
        if obj:
            return f"names a {self.run('cat-file', '-t', obj).decode().strip()}, not a commit"
        names = [_short(name) for name, _sha in self.refs()]
        tail = rev.rsplit("/", 1)[-1]
        near = [n for n in names if n != rev and n.rsplit("/", 1)[-1] == tail]
        near += [n for n in difflib.get_close_matches(rev, names, n=3) if n not in near]
        message = f"is not a branch, tag or commit in {self.path}"
        if near:
            message += "; did you mean " + " or ".join(near[:3]) + "?"
        if self.shallow:
            message += " (a shallow clone: older commits were not fetched; `git fetch --unshallow` fetches them)"
        return message

    def shallow_commits(self) -> frozenset[str]:
        """The commits whose parents a shallow clone did not fetch."""
        if not self.shallow:
            return frozenset()
        path = self.run("rev-parse", "--git-path", "shallow").decode("utf-8", "surrogateescape").strip()
        path = path if os.path.isabs(path) else os.path.join(self.path, path)
        try:
            with open(path, encoding="ascii") as handle:
                return frozenset(line.strip() for line in handle if line.strip())
        except OSError:
            return frozenset()

    def refs(self) -> list[tuple[str, str]]:
        """(ref name, commit) for every branch, tag and other ref that points at a commit."""
        out = self.run("for-each-ref", "--format=%(objectname)%00%(*objectname)%00%(objecttype)%00%(refname)")
        refs = []
        for line in out.decode("utf-8", "surrogateescape").splitlines():
            sha, peeled, kind, name = line.split("\0", 3)
            if kind == "commit" or (kind == "tag" and peeled):
                refs.append((name, peeled or sha))
        return refs



def _short(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/"):
        if ref.startswith(prefix):
            return ref.removeprefix(prefix)
    return ref


# ---------------------------------------------------------------------------------------------- where


def placement_notes(repo: Repo) -> list[str]:
    """What a history scan of ``repo`` covers when REPO is more than a repository's top folder: a folder
    inside a work tree (the whole history is scanned), a submodule (its own history), or a superproject
    (its submodules are other repositories, not scanned)."""
    notes = []
    out = b"" if repo.bare else repo.run("rev-parse", "--show-toplevel", "--show-superproject-working-tree",
                                         check=False)  # fmt: skip
    lines = out.decode("utf-8", "surrogateescape").splitlines()  # none: bare, or inside the .git folder
    top = lines[0] if lines else None
    if top and os.path.realpath(repo.path) != os.path.realpath(top):
        notes.append(f"{os.path.realpath(repo.path)} is a folder inside the work tree {top}: "
                     "the whole repository's history is scanned")
    if len(lines) > 1:
        notes.append(f"{top} is a submodule of {lines[1]}: this scans the submodule's own history; "
                     f"`veil git {shlex.quote(lines[1])}` scans the superproject's")
    subs = submodules(repo)
    if subs:
        shown = ", ".join(subs[:5]) + (f" and {len(subs) - 5} more" if len(subs) > 5 else "")
        example = os.path.join(top, subs[0]) if top else subs[0]
        notes.append(f"submodules are other repositories, not scanned here: {shown} "
                     f"(`veil git {shlex.quote(example)}` in a work tree scans one)")
    return notes


def submodules(repo: Repo) -> list[str]:
    """The paths of the submodules HEAD declares, read by GitPython (imported only when there is a .gitmodules)."""
    if repo.head is None or not repo.run("ls-tree", "--full-tree", "--name-only", "HEAD", "--", ".gitmodules"):
        return []
    import git

    try:
        with git.Repo(repo.path, search_parent_directories=True) as handle:
            return sorted(str(module.path) for module in handle.submodules)
    except Exception:  # noqa: BLE001 - a note never stops a scan (a malformed .gitmodules, a missing object …)
        return []


def hooks_folder(path: str) -> tuple[str, str | None]:
    """The folder git runs the hooks of the repository at or above ``path`` from, and the configuration file
    whose ``core.hooksPath`` chose it (None: the repository's own ``hooks`` folder).

    GitPython finds the repository from any folder in it and reads git's configuration files, the ones
    git reads (``GIT_CONFIG_SYSTEM``, ``GIT_CONFIG_GLOBAL``, ``GIT_CONFIG_NOSYSTEM`` honoured), last one
    wins. A linked worktree's hooks are its repository's (the common folder): one hook guards every worktree.
    """
    import git

    try:
        handle = git.Repo(path, search_parent_directories=True)
    except git.NoSuchPathError:
        raise GitError(f"{path}: no such file or directory") from None
    except git.InvalidGitRepositoryError:
        raise GitError(f"{path}: not a git repository (or any of the parent directories)") from None
    with handle:
        if handle.bare or handle.working_tree_dir is None:
            raise GitError(f"{path}: a bare repository has no commits made in it to guard")
        chosen: tuple[str, str] | None = None
        for source in _config_files(handle.git_dir, handle.common_dir):
            with contextlib.suppress(configparser.NoSectionError, configparser.NoOptionError):
                value = git.GitConfigParser(source, read_only=True, repo=handle).get("core", "hooksPath")
                chosen = (os.path.expanduser(value), source)
        if chosen is None:
            return os.path.normpath(os.path.join(handle.common_dir, "hooks")), None
        return os.path.normpath(os.path.join(handle.working_tree_dir, chosen[0])), chosen[1]


def _config_files(git_dir: str, common_dir: str) -> list[str]:
    """git's configuration files, system to worktree (git-config(1), FILES and ENVIRONMENT)."""
    env = os.environ
    files = [] if env.get("GIT_CONFIG_NOSYSTEM") else [env.get("GIT_CONFIG_SYSTEM", "/etc/gitconfig")]
    if "GIT_CONFIG_GLOBAL" in env:
        files.append(env["GIT_CONFIG_GLOBAL"])
    else:
        xdg = env.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
        files += [os.path.join(xdg, "git", "config"), os.path.expanduser("~/.gitconfig")]
    files += [os.path.join(common_dir, "config"), os.path.join(git_dir, "config.worktree")]
    return [f for f in files if os.path.isfile(f)]


# ---------------------------------------------------------------------------------------------- log


@dataclass(slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    time: int  # author date, Unix seconds
    date: str  # author date, ISO 8601 with its offset
    committed: int  # committer date, Unix seconds
    changes: list[tuple[str, str | None, str | None]]  # (path, blob before, blob after) against the first parent


class LogParser:
    """Parse ``git log`` output in the :data:`LOG_ARGS` shape, fed in chunks of any size.

    ``feed`` returns the blobs seen for the first time, with the first path each was seen at.
    """

    def __init__(self) -> None:
        self.commits: dict[str, Commit] = {}
        self.order: list[str] = []  # as git printed them
        self.blob_paths: dict[str, str] = {}  # every blob seen -> a path it had
        self._tail = b""
        self._fields: list[str] = []
        self._commit: Commit | None = None
        self._entry: tuple[str, str | None, str | None] | None = None
        self._paths: dict[str, str] = {}  # interned paths

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        tokens = (self._tail + chunk).split(b"\0")
        self._tail = tokens.pop()
        return self._tokens(tokens)

    def close(self) -> list[tuple[str, str]]:
        tail, self._tail = self._tail, b""
        return self._tokens([tail] if tail.strip(b"\n") else [])

    def _tokens(self, tokens: list[bytes]) -> list[tuple[str, str]]:
        new: list[tuple[str, str]] = []
        blob_paths = self.blob_paths
        for raw in tokens:
            if self._entry is not None:  # the path that follows a raw entry
                path = raw.decode("utf-8", "surrogateescape")
                path = self._paths.setdefault(path, path)
                _, old, blob = self._entry
                self._entry = None
                if old is None and blob is None:
                    continue
                assert self._commit is not None
                self._commit.changes.append((path, old, blob))
                if blob is not None and blob not in blob_paths:
                    blob_paths[blob] = path
                    new.append((blob, path))
            elif self._fields:  # inside a commit's header
                self._fields.append(raw.decode("utf-8", "surrogateescape"))
                if len(self._fields) == LOG_FIELDS:
                    self._start_commit()
            elif raw.startswith(b"\x01"):
                self._fields = [raw[1:].decode("utf-8", "surrogateescape")]
            else:
                raw = raw.lstrip(b"\n")
                if raw.startswith(b":"):
                    self._entry = self._raw_entry(raw)
        return new

    def _start_commit(self) -> None:
        sha, parents, author, email, at, adate, ct = self._fields
        self._fields = []
        commit = Commit(sha, tuple(parents.split()), author, email, int(at or 0), adate, int(ct or 0), [])
        if sha not in self.commits:
            self.commits[sha] = commit
            self.order.append(sha)
        self._commit = commit

    def _raw_entry(self, raw: bytes) -> tuple[str, str | None, str | None]:
        # ":100644 100644 <old> <new> M"
        old_mode, new_mode, old, new, _status = raw[1:].decode("ascii").split(" ")
        return (
            "",
            None if old_mode == GITLINK or not old.strip("0") else sys_intern(old),
            None if new_mode == GITLINK or not new.strip("0") else sys_intern(new),
        )


_shas: dict[str, str] = {}


def sys_intern(sha: str) -> str:
    """One string object per object name: the same blob is named in many commits."""
    return _shas.setdefault(sha, sha)


def log_argv(selection: Sequence[str]) -> list[str]:
    return [*LOG_ARGS, *selection]


# ---------------------------------------------------------------------------------------------- blobs


def all_blobs(repo: Repo) -> list[str]:
    """Every blob in the object store (reachable or not), in pack order: the order cat-file reads fastest."""
    out = repo.run("cat-file", "--batch-all-objects", "--unordered", "--batch-check=%(objecttype) %(objectname)")
    return [line[5:] for line in out.decode("ascii").splitlines() if line.startswith("blob ")]


@dataclass(slots=True)
class Blob:
    sha: str
    data: bytes | None  # None when skipped
    size: int
    skip: str = ""  # kind: missing, too-large
    reason: str = ""


class BlobReader:
    """A long-lived ``git cat-file --batch``: ask for object names, get their contents in order."""

    def __init__(self, repo_path: str, max_size: int, delta_cache: int | None = None):
        self.max_size = max_size
        cache = ["-c", f"core.deltaBaseCacheLimit={delta_cache}"] if delta_cache else []
        self.proc = subprocess.Popen(
            ["git", "-C", repo_path, *cache, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(),
        )  # fmt: skip
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in, self._out = self.proc.stdin, self.proc.stdout

    def read(self, names: Sequence[str]) -> Iterator[Blob]:
        for start in range(0, len(names), BATCH_LIMIT):
            part = names[start : start + BATCH_LIMIT]
            self._in.write(("\n".join(part) + "\n").encode("utf-8", "surrogateescape"))
            self._in.flush()
            for name in part:
                yield self._one(name)

    def _one(self, name: str) -> Blob:
        header = self._out.readline()
        if not header:
            raise GitError("git cat-file stopped unexpectedly")
        fields = header.split()
        if len(fields) != 3:  # "<name> missing" / "ambiguous"
            return Blob(name, None, 0, "missing", "object not in the repository")
        size = int(fields[2])
        if size > self.max_size:
            left = size + 1
            while left:
                left -= len(self._out.read(min(left, 1 << 20)))
            return Blob(name, None, size, "too-large", f"{size} bytes is over the {self.max_size}-byte limit")
        data = self._out.read(size)
        self._out.read(1)  # the LF after the contents
        return Blob(name, data, size)

    def close(self) -> None:
        if self.proc.poll() is None:
            self._in.close()
            self.proc.wait()
            self._out.close()
