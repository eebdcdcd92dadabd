"""``veil git``: scan a repository's history, a range, a branch or the staged index; ``veil install-hook``."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import sys

import click

from ..progress import ProgressLine
from ..sources.git import GitOptions, Repo, is_git_date, scan_history, scan_staged
from ..sources.git.repo import hooks_folder, placement_notes
from .common import EXIT_CLEAN, EXIT_ERROR, finish, guard, report_options
from .suppression import accept_findings, resolve_suppression, source_options


def git_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A click callback: ``value`` if git reads it as a date; a usage error (exit 2), not a scan of nothing."""
    if value is not None and not is_git_date(value):
        raise click.BadParameter(f"{value!r} is not a date git understands (2024-01-31, '3 months ago', yesterday …)")
    return value


@click.command("git")
@click.argument("repo", default=".", required=False)
@click.option("--staged", is_flag=True,
              help="Scan the index against HEAD: only added lines count (the pre-commit mode).")
@click.option("--range", "rev_range", metavar="BASE..HEAD",
              help="Only what the commits in this range introduced (the pull-request mode).")
@click.option("--since", metavar="DATE", callback=git_date,
              help="Only commits newer than DATE (2024-01-31, '3 months ago' …).")
@click.option("--branch", "branches", multiple=True, metavar="NAME",
              help="Only this branch's history (repeatable). Default: every branch, tag and ref.")
@report_options
@source_options("at or above REPO", "blobs")
@click.option("--reader", type=click.Choice(["auto", "parent", "worker"]), default="auto", hidden=True)  # benchmarks
@click.option("--enumerate", "enumerate_from", type=click.Choice(["log", "store"]), default="log", hidden=True)
@click.pass_context
@guard
def git(ctx: click.Context, repo, staged, rev_range, since, branches, fmt, output, show_secrets, **_options) -> None:
    """Scan a git repository's history for secrets: every blob of every ref, once.

    Each finding says where the secret was first committed (commit, author, date), how many days
    ago, in how many commits it sits, and whether it is still present at HEAD or was removed (and
    when). REPO may be a work tree or a bare repository (default: the current directory).

    Exit status: 0 nothing found, 1 findings, 2 error.
    """
    if staged and (rev_range or since or branches):
        raise click.UsageError("--staged scans the index; it does not combine with --range, --since or --branch")
    if rev_range and branches:
        raise click.UsageError("--range and --branch do not combine: name the branch in the range")
    repository = Repo.open(repo)
    rules, suppressor = resolve_suppression(ctx, repo)
    p = ctx.params
    if staged:
        outcome = scan_staged(repository, rules, p["engine"], p["max_file_size"], suppressor)
    else:
        if repository.shallow:
            click.echo(
                "veil: note: this is a shallow clone: commits older than its oldest fetched ones are not scanned, "
                "so a secret added and removed before them is not seen, and leak ages are lower bounds. "
                "Run `git fetch --unshallow` to scan everything.", err=True,
            )  # fmt: skip
        if repository.run("config", "--get", "extensions.partialClone", check=False).strip():
            click.echo(
                "veil: note: this is a partial clone: git fetches the blobs it left out one by one as the scan "
                "reads them, which is slow for a long history. Clone without --filter to scan it all locally.",
                err=True,
            )  # fmt: skip
        options = GitOptions(
            jobs=p["jobs"], max_file_size=p["max_file_size"], engine=p["engine"], branches=tuple(branches),
            rev_range=rev_range, since=since, suppressor=suppressor, reader=p["reader"], enumerate=p["enumerate_from"],
        )  # fmt: skip
        progress = ProgressLine()
        try:
            outcome = scan_history(repository, rules, options, progress)
        finally:
            progress.close()
        for note in placement_notes(repository):
            click.echo(f"veil: note: {note}", err=True)
    if p["update_baseline"]:
        accept_findings(outcome, p["update_baseline"])
    finish(outcome, rules, p["fmt"], p["output"], p["show_secrets"])


# ---------------------------------------------------------------------------------------------- hook

HOOK_MARK = "# veil pre-commit hook"


BACKUP_SUFFIX = ".veil-backup"


def hook_script(veil: str) -> str:
    """The pre-commit hook: the hook it replaced (kept beside it by ``--force``) runs first, then Veil."""
    return f"""#!/bin/sh
{HOOK_MARK} (installed by `veil install-hook`): blocks a commit that adds a secret.
# Skip it once with `git commit --no-verify`; delete this file to uninstall.
# A hook it replaced is kept as pre-commit{BACKUP_SUFFIX} and still runs first: it can block the commit too.
if [ -x "$0{BACKUP_SUFFIX}" ]; then "$0{BACKUP_SUFFIX}" "$@" || exit $?; fi
VEIL={shlex.quote(veil)}
if [ ! -x "$VEIL" ]; then VEIL=veil; fi
exec "$VEIL" git --staged
"""


@click.command("install-hook")
@click.argument("repo", default=".", required=False)
@click.option("--force", is_flag=True,
              help=f"Replace another pre-commit hook: it is kept as pre-commit{BACKUP_SUFFIX} and still runs first.")
@click.option("--print", "print_only", is_flag=True, help="Print the hook instead of installing it.")
@guard
def install_hook(repo, force, print_only) -> None:
    """Install a plain git pre-commit hook that runs `veil git --staged` (no pre-commit framework needed)."""
    veil = shutil.which("veil") or os.path.abspath(sys.argv[0])
    script = hook_script(veil)
    if print_only:
        click.echo(script, nl=False)
        return
    hooks, setting = hooks_folder(repo)
    os.makedirs(hooks, exist_ok=True)
    target = os.path.join(hooks, "pre-commit")
    if os.path.exists(target):
        with open(target, encoding="utf-8", errors="replace") as handle:
            ours = HOOK_MARK in handle.read()
        if not ours and not force:
            click.echo(f"veil: {target} already exists and is not Veil's; --force replaces it (keeping a backup)",
                       err=True)
            sys.exit(EXIT_ERROR)
        if not ours:
            os.replace(target, target + BACKUP_SUFFIX)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(script)
    os.chmod(target, os.stat(target).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    click.echo(f"veil: installed {target}", err=True)
    if setting:
        click.echo(f"veil: note: core.hooksPath, set in {setting}, chose that folder "
                   "(git runs no hook from .git/hooks while it is set)", err=True)
    sys.exit(EXIT_CLEAN)
