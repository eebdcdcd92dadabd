"""Repositories named by URL: a bare clone in a cache folder, brought up to date with ``git fetch`` on re-use.

A full bare clone, not a partial one (``--filter``): a partial clone fetches the blobs it left out one
by one as the scan reads them. No credentials are kept or shown: a URL's user information is used for
the transfer only (the clone's ``origin`` is the URL without it), every message says the URL without it
(:func:`public`), and ``GIT_TERMINAL_PROMPT=0`` makes git fail rather than wait for a password.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import regex

from .repo import GitError, _env, _first_line

_USERINFO = regex.compile(r"(?<=\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")
_UNSAFE = regex.compile(r"[^A-Za-z0-9._-]+")
REFSPECS = ("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")  # what a bare clone has; fetched again


def public(text: str) -> str:
    """``text`` with the user information of every URL in it left out: ``https://user:token@host/x``
    becomes ``https://host/x``."""
    return _USERINFO.sub("", text)


def is_url(target: str) -> bool:
    """Whether ``target`` names a remote repository (``scheme://…`` or scp-like ``user@host:path``)
    rather than a local path."""
    return "://" in target or regex.match(r"^[^/\s]+@[^/\s:]+:", target) is not None


def safe_name(url: str) -> str:
    """A file name for the repository at ``url`` (its public form): ``https://github.com/org/name.git``
    gives ``github.com_org_name``."""
    text = public(url).split("://", 1)[-1].removesuffix("/").removesuffix(".git")
    return _UNSAFE.sub("_", text).strip("._-") or "repository"


def clone(url: str, cache_dir: str, timeout: float | None = None) -> str:
    """The path of an up-to-date bare clone of ``url`` in ``cache_dir``: cloned the first time (into a
    temporary folder, then moved into place, so an interrupted clone is never re-used), fetched again
    afterwards. A failure is a :class:`GitError` saying git's reason, without credentials."""
    path = os.path.join(cache_dir, safe_name(url) + ".git")
    if os.path.isdir(path):
        _git(["-C", path, "fetch", "--quiet", "--prune", "--", url, *REFSPECS], url, timeout)
        return path
    os.makedirs(cache_dir, exist_ok=True)
    partial = tempfile.mkdtemp(prefix=".clone-", dir=cache_dir)
    try:
        _git(["clone", "--bare", "--quiet", "--", url, partial], url, timeout)
        _git(["-C", partial, "remote", "set-url", "origin", public(url)], url, timeout)
        os.replace(partial, path)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return path


def _git(args: list[str], url: str, timeout: float | None) -> None:
    verb = args[2] if args[0] == "-C" else args[0]
    try:
        proc = subprocess.run(["git", *args], capture_output=True, env=_env(), timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {verb} {public(url)}: timed out after {timeout:.0f} s") from None
    if proc.returncode:
        raise GitError(public(f"git {verb}: {_first_line(proc.stderr)}"))
