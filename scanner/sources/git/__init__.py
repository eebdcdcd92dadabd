"""Git as a source: the whole history (every unique blob once), a range, a branch, or the staged index."""

from .attribute import Selection
from .history import GitOptions, scan_history, selection_of
from .repo import GitError, Repo, is_git_date
from .staged import scan_staged, staged_changes

__all__ = ["GitError", "GitOptions", "Repo", "Selection", "is_git_date", "scan_history", "scan_staged",
           "selection_of", "staged_changes"]
