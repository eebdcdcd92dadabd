"""The first ten minutes of each door: what a new user gets wrong (a missing folder, a bad setting, a file
where a folder is expected) ends with one clear line naming the file, exit 2, no traceback and no secret
in clear. The real ``veil`` console script on real files."""

from __future__ import annotations

from tests.conftest import GITHUB_PAT

LEAK = f"token = {GITHUB_PAT}\n"


def assert_clean_error(run, last_line: str) -> None:
    """Exit 2, ``last_line`` last on stderr, nothing on stdout, no traceback, the secret nowhere."""
    assert run.code == 2, run
    assert run.err.splitlines()[-1] == last_line
    assert run.out == ""
    assert "Traceback" not in run.err and GITHUB_PAT not in run.err


def test_baseline_create_into_a_missing_folder_is_refused_before_scanning(veil, tmp_path):
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("baseline", "create", "a.env", "-o", "no-such-dir/b.json", cwd=tmp_path)
    assert_clean_error(run, "Error: Invalid value for '-o' / '--output': no-such-dir/b.json: "
                            "the folder no-such-dir does not exist")


def test_update_baseline_into_a_missing_folder_is_refused_before_scanning(veil, tmp_path):
    (tmp_path / "t.jsonl").write_text('{"msg": "hello"}\n')
    run = veil("trace", "t.jsonl", "--update-baseline", "no-such-dir/b.json", cwd=tmp_path)
    assert_clean_error(run, "Error: Invalid value for '--update-baseline': no-such-dir/b.json: "
                            "the folder no-such-dir does not exist")


def test_a_baseline_that_cannot_be_written_is_named(veil, tmp_path):
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("baseline", "create", "a.env", "-o", "/dev/full", cwd=tmp_path)  # every write fails: disk full
    assert_clean_error(run, "veil: error: cannot write the baseline to /dev/full: No space left on device")


def test_export_otelcol_into_a_missing_folder_is_a_usage_error(veil, tmp_path):
    run = veil("export", "otelcol", "-o", "no-such-dir/veil.yaml", cwd=tmp_path)
    assert_clean_error(run, "Error: Invalid value for '-o' / '--output': no-such-dir/veil.yaml: "
                            "the folder no-such-dir does not exist")


def test_export_otelcol_that_cannot_be_written_is_named(veil, tmp_path):
    run = veil("export", "otelcol", "-o", "/dev/full", cwd=tmp_path)
    assert_clean_error(run, "veil: error: cannot write the configuration to /dev/full: No space left on device")


def test_config_show_of_a_missing_path_is_an_error(veil, tmp_path):
    run = veil("config", "show", "no-such-dir", cwd=tmp_path)
    assert_clean_error(run, "Error: Invalid value for '[PATH]': Path 'no-such-dir' does not exist.")


def test_a_bad_size_in_the_configuration_names_the_file_and_the_setting(veil, tmp_path):
    (tmp_path / "veil.toml").write_text('[scan]\nmax-file-size = "huge"\n')
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("scan", "a.env", cwd=tmp_path)
    assert_clean_error(run, f"Error: {tmp_path / 'veil.toml'}: [scan] max_file_size: "
                            "'huge' is not a size such as 500KB, 10MB or 1GB")
