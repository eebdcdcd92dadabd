"""Nothing named and unscanned passes silently: what the user named and Veil could not (fully) scan is an
error — exit 2, one ``veil: error:`` line naming it, no traceback — while everything else is still scanned
and reported. Real files, real image layouts (built with tarfile), the real ``veil`` console script."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from tests.conftest import AWS_KEY_ID, GITHUB_PAT
from tests.test_image_hostile import GOOD, layer, oci_layout

LEAK = f"token = {GITHUB_PAT}\n"


def layer_digests(root: Path) -> list[str]:
    """The layer digests of the one image in the OCI layout ``root``, in order."""
    index = json.loads((root / "index.json").read_text())
    manifest = root / "blobs/sha256" / index["manifests"][0]["digest"].split(":")[1]
    return [d["digest"] for d in json.loads(manifest.read_text())["layers"]]


def paths_found(run) -> list[str]:
    return [f["path"] for f in run.json()["findings"]]


# ---------------------------------------------------------------------------------------------- veil scan


def test_named_file_over_max_file_size_is_an_error_and_the_rest_is_scanned(veil, tmp_path):
    (tmp_path / "big.env").write_text(LEAK)
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree/inside.env").write_text(LEAK)  # in a named folder: a size skip is policy, not an error
    (tmp_path / "small.env").write_text(f"K={AWS_KEY_ID}\n")
    run = veil("scan", "big.env", "small.env", "tree", "--max-file-size", "30", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert run.err == "veil: error: big.env: 49 bytes is over the 30-byte limit (--max-file-size)\n"
    assert paths_found(run) == ["small.env"]
    tree_only = veil("scan", "tree", "--max-file-size", "30", cwd=tmp_path)
    assert (tree_only.code, tree_only.err) == (0, "")


def test_named_fifo_and_unreadable_file_are_errors(veil, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "ok.env").write_text(LEAK)
    # /proc/self/mem is a regular file that no read can get at offset 0 (EIO), for root too
    run = veil("scan", "pipe", "/proc/self/mem", "ok.env", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines() == ["veil: error: pipe: not a regular file or directory",
                                    "veil: error: /proc/self/mem: Input/output error"]
    assert paths_found(run) == ["ok.env"]


def test_missing_output_folder_is_named_before_scanning(veil, tmp_path):
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("scan", "a.env", "-o", "/missing/dir/x.json", cwd=tmp_path)
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.splitlines()[-1] == ("Error: Invalid value for '-o' / '--output': /missing/dir/x.json: "
                                        "the folder /missing/dir does not exist")


def test_unwritable_output_is_a_clear_error(veil, tmp_path):
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("scan", "a.env", "-o", "/dev/full", cwd=tmp_path)  # every write fails: the disk is full
    assert (run.code, run.err) == (2, "veil: error: cannot write the report to /dev/full: No space left on device\n")


# ---------------------------------------------------------------------------------------------- veil image


def test_truncated_layer_is_an_error_and_the_other_layers_are_reported(veil, tmp_path):
    first = layer(("app/first.env", f"AWS={AWS_KEY_ID}\n".encode()), ("app/pad", os.urandom(256 * 1024)))
    root = oci_layout(tmp_path / "img", [first[: len(first) // 2], layer(GOOD)])
    run = veil("image", "img", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert paths_found(run) == ["/app/first.env", "/etc/good.conf"]
    digest = layer_digests(root)[0]
    assert run.err == (f"veil: error: img: img:t layer 1 ({digest[:19]}): truncated or corrupt (EOFError: "
                       "Compressed file ended before the end-of-stream marker was reached); scanning of this "
                       "layer stopped there\n")


def test_path_traversal_entries_are_errors_and_the_layer_is_still_scanned(veil, tmp_path):
    evil = layer(("../../root/.aws/credentials", AWS_KEY_ID.encode()), GOOD)
    root = oci_layout(tmp_path / "img", [evil])
    run = veil("image", "img", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert paths_found(run) == ["/etc/good.conf"]
    assert run.err == (f"veil: error: img: img:t layer 1 ({layer_digests(root)[0][:19]}): member name "
                       "'../../root/.aws/credentials' escapes the archive; not scanned\n")


def test_corrupt_oci_index_is_an_error(veil, tmp_path):
    root = oci_layout(tmp_path / "img", [layer(GOOD)])
    (root / "index.json").write_text('{"schemaVersion": 2, "manifests": [')
    run = veil("image", "img", cwd=tmp_path)
    assert run.code == 2
    assert run.err == ("veil: error: img: cannot read the image index: unexpected end of data: "
                       "line 1 column 36 (char 35)\n")


# ---------------------------------------------------------------------------------------------- veil trace


def test_truncated_gzip_trace_is_an_error_after_scanning_what_it_holds(veil, tmp_path):
    records = [json.dumps({"role": "tool", "content": f"token {GITHUB_PAT}"})]
    records += [json.dumps({"role": "user", "content": f"message {n}"}) for n in range(3000)]
    data = gzip.compress("\n".join(records).encode() + b"\n", mtime=0)
    (tmp_path / "run.jsonl.gz").write_bytes(data[: len(data) // 2])
    run = veil("trace", "run.jsonl.gz", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert [(f["path"], f["origin"]["record_line"]) for f in run.json()["findings"]] == [("run.jsonl.gz", 1)]
    errors = [line for line in run.err.splitlines() if line.startswith("veil: error:")]
    assert len(errors) == 1 and errors[0].startswith(
        "veil: error: run.jsonl.gz: truncated or corrupt (EOFError: Compressed file ended before the "
        "end-of-stream marker was reached); the ")
    assert errors[0].endswith(" bytes before it were scanned")
    copy = veil("trace", "--redact", "run.jsonl.gz", "-o", "masked.jsonl", cwd=tmp_path)
    assert copy.code == 2 and copy.err.splitlines()[-1].endswith(" bytes before it were copied")
    masked = (tmp_path / "masked.jsonl").read_text()
    assert masked.startswith('{"role": "tool", "content": "token [REDACTED:github-pat]"}\n')
    assert GITHUB_PAT not in masked


def test_trace_directory_scans_the_trace_files_in_it(veil, tmp_path):
    (tmp_path / "traces/day1").mkdir(parents=True)
    (tmp_path / "traces/a.jsonl").write_text(json.dumps({"content": f"token {GITHUB_PAT}"}) + "\n")
    (tmp_path / "traces/day1/b.json.gz").write_bytes(gzip.compress(json.dumps({"k": AWS_KEY_ID}).encode()))
    (tmp_path / "traces/notes.txt").write_text(LEAK)  # not a trace file
    run = veil("trace", "traces", "-f", "json", cwd=tmp_path)
    assert (run.code, run.err) == (1, "")
    assert paths_found(run) == ["traces/a.jsonl", "traces/day1/b.json.gz"]


def test_trace_directory_without_traces_and_redact_of_a_directory_are_errors(veil, tmp_path):
    (tmp_path / "empty").mkdir()
    run = veil("trace", "empty", cwd=tmp_path)
    assert run.code == 2
    assert run.err == ("veil: error: empty: a directory without trace files (*.json, *.jsonl, *.ndjson, "
                       "compressed or not)\n")
    run = veil("trace", "--redact", "empty", cwd=tmp_path)
    assert (run.code, run.err) == (2, "veil: error: empty: a directory: --redact masks one file\n")


# ---------------------------------------------------------------------------------------------- warnings


def test_a_slow_rule_is_named_once_however_often_it_gives_up(veil, tmp_path):
    (tmp_path / "slow.toml").write_text(
        '[[rules]]\nid = "slow-rule"\ndescription = "backtracks"\nregex = \'\'\'slowkey=(a|aa)+b(?!x)\'\'\'\n'
        'keywords = ["slowkey"]\n')
    names = ["a.txt", "b.txt", "c.txt"]
    for name in names:
        (tmp_path / name).write_text("slowkey=" + "a" * 40 + "bx\n")  # costs the timeout (1 s)
    run = veil("scan", "--rules", "slow.toml", *names, "-f", "json", cwd=tmp_path)
    assert run.code == 0
    assert run.err == ("veil: warning: rule slow-rule is too slow: it gave up in a.txt (bytes 0-51: regex timed "
                       "out after 1.0s) and 2 more places; those places were not checked by it\n")
    assert [(s["path"], s["kind"]) for s in run.json()["skipped"]] == [(name, "timeout") for name in names]


def test_disabling_a_rule_that_does_not_exist_is_warned_about(veil, tmp_path):
    (tmp_path / "veil.toml").write_text('disable = ["github-pat", "no-such-rule"]\n')
    (tmp_path / "a.env").write_text(LEAK)
    run = veil("scan", "a.env", cwd=tmp_path)
    assert run.code == 0  # github-pat is disabled
    assert run.err == (f"veil: warning: {tmp_path / 'veil.toml'}: disable names no rule 'no-such-rule'; "
                       "it disables nothing\n")
