"""Inline allow markers are whole tokens (issue 15 item 11): ``veil:allow`` followed by the end of the
line, a space, or what closes a comment — not ``veil:allowed?`` or ``noveil:allow``. (That trace text is
data, where markers only count with ``--inline-allow``, is tested in test_image_trace_suppress.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import GITHUB_PAT

ALLOWED = [
    f'T = "{GITHUB_PAT}"  # veil:allow',
    f'T = "{GITHUB_PAT}"  # veil:allow rotated in March',
    f'T = "{GITHUB_PAT}"  #veil:allow',
    f'T = "{GITHUB_PAT}"; // gitleaks:allow',
    f'<p>{GITHUB_PAT}</p><!--veil:allow-->',
    f'<p>{GITHUB_PAT}</p><%-- veil:allow --%>',
    f'{{{{ "{GITHUB_PAT}" }}}} {{# veil:allow #}}',
    f'{{{{ "{GITHUB_PAT}" }}}} {{#veil:allow#}}',
    f'char *t = "{GITHUB_PAT}"; /*veil:allow*/',
    f'(* {GITHUB_PAT} veil:allow*)',
    f'T = "{GITHUB_PAT}"  # pragma: allowlist secret',
]
NOT_ALLOWED = [
    f'T = "{GITHUB_PAT}"  # veil:allowed?',
    f'T = "{GITHUB_PAT}"  # is this veil:allowlisted',
    f'T = "{GITHUB_PAT}"  # noveil:allow',
    f'T = "{GITHUB_PAT}"  # gitleaks:allow-list',
    f'T = "{GITHUB_PAT}"  # veil:allow_me',
    f'T = "{GITHUB_PAT}"  # pragma: allowlist secrets',
]


@pytest.mark.parametrize("line", ALLOWED)
def test_a_whole_marker_allows(veil, tmp_path, line):
    (tmp_path / "a.txt").write_text(line + "\n")
    run = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert (run.code, run.json()["findings"], run.json()["stats"]["suppressed"]) == (0, [], {"inline": 1})


@pytest.mark.parametrize("line", NOT_ALLOWED)
def test_a_marker_inside_another_word_does_not(veil, tmp_path, line):
    (tmp_path / "a.txt").write_text(line + "\n")
    run = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert run.code == 1 and run.json()["stats"]["suppressed"] == {}
    assert [(f["rule"], f["line"]) for f in run.json()["findings"]] == [("github-pat", 1)]
