"""The first ten minutes of each door: what a new user gets wrong (a missing folder, a bad setting, a file
where a folder is expected) ends with one clear line naming the file, exit 2, no traceback and no secret
in clear. The real ``veil`` console script on real files."""

from __future__ import annotations

import subprocess
import sys

import pytest

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



def test_known_values_file_that_is_not_utf8_is_named(veil, tmp_path):
    (tmp_path / "values.bin").write_bytes(b"\xff\xfe s3cr3t-Opaque_v4lue\n")
    run = veil("redact", "--known-values-file", "values.bin", stdin=b"login s3cr3t-Opaque_v4lue\n", cwd=tmp_path)
    assert_clean_error(run, "Error: values.bin: not UTF-8 text; --known-values-file takes one value a line")
    assert "s3cr3t" not in run.err


def test_known_values_too_short_to_mask_are_counted_not_dropped_silently(veil, tmp_path):
    (tmp_path / "values.txt").write_text("ab\ncd\ns3cr3t-Opaque_v4lue\n")
    run = veil("redact", "--known-values-file", "values.txt", stdin=b"login s3cr3t-Opaque_v4lue ab\n", cwd=tmp_path)
    assert (run.code, run.out) == (0, "login [REDACTED:known] ab\n")
    assert run.err == "veil: warning: values.txt: 2 values are shorter than 4 characters and are not masked\n"


def test_a_configuration_given_as_a_rule_file_is_an_error_not_zero_rules(veil, tmp_path):
    """Before: ``--rules veil.toml`` added no rule and ignored the rest, and the scan went green."""
    (tmp_path / "veil.toml").write_text('[scan]\nformat = "json"\n')
    (tmp_path / "a.env").write_text(LEAK)
    for args in (("scan", "a.env", "--rules", "veil.toml", "-c", "veil.toml"), ("rules", "test", "veil.toml")):
        run = veil(*args, cwd=tmp_path)
        assert_clean_error(run, "veil: veil.toml: no [[rules]] in this rule file "
                                "(a configuration file goes to --config)")


# ------------------------------------------------------------------------------ the logging and OTel doors


def run_python(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("call", ['SecretFilter(known_values="s3cr3t-Opaque_v4lue")',
                                  'SecretFilter(known_values_from_env=True, env_patterns="DB_PASSWORD")',
                                  'Redactor(known_values="s3cr3t-Opaque_v4lue")'])
def test_one_string_where_a_list_belongs_is_refused_not_read_as_characters(call, tmp_path):
    """Read as a list of its characters, one string masked nothing: the secret went out in clear."""
    proc = run_python(f"from scanner.redact import Redactor, SecretFilter\n{call}", tmp_path)
    assert proc.returncode == 1
    name = "env_patterns" if "env_patterns" in call else "known_values"
    assert proc.stderr.splitlines()[-1] == (f"TypeError: {name} takes a list of strings, not one string: "
                                            f"{name}=[...]")
    assert "s3cr3t-Opaque_v4lue" not in proc.stderr.splitlines()[-1]


def test_a_list_of_known_values_still_masks(tmp_path):
    code = ("import logging, sys\nfrom scanner.redact import SecretFilter\n"
            "h = logging.StreamHandler(sys.stdout)\nh.addFilter(SecretFilter(known_values=['s3cr3t-Opaque_v4lue']))\n"
            "logging.basicConfig(level=logging.INFO, handlers=[h], format='%(message)s')\n"
            "logging.info('login s3cr3t-Opaque_v4lue')\n")
    proc = run_python(code, tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "login [REDACTED:known]\n", "")


@pytest.mark.parametrize(("imports", "construct", "error"), [
    ("from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter\n"
     "from scanner.redact.otel import SecretSpanProcessor\n",
     "SecretSpanProcessor(InMemorySpanExporter())",
     "TypeError: SecretSpanProcessor wraps span processors; InMemorySpanExporter is not one: "
     "SecretSpanProcessor(BatchSpanProcessor(exporter)), or BatchSpanProcessor(RedactingSpanExporter(exporter))"),
    ("from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter\n"
     "from scanner.redact.otel import SecretLogRecordProcessor\n",
     "SecretLogRecordProcessor(InMemoryLogRecordExporter())",
     "TypeError: SecretLogRecordProcessor takes a Redactor; InMemoryLogRecordExporter is not one: add it to "
     "the LoggerProvider before the exporting processor, or wrap the exporter in RedactingLogExporter(exporter)"),
])
def test_an_otel_processor_given_an_exporter_says_how_to_wire_it(tmp_path, imports, construct, error):
    """Before: accepted, then an AttributeError at every span start or export, inside the application."""
    proc = run_python(imports + construct + "\n", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == error


def test_install_before_logging_is_configured_warns(tmp_path):
    """Before: silent, and the handler basicConfig added next printed every secret in clear."""
    code = ("import logging, sys\nfrom scanner.redact import install\ninstall()\n"
            "logging.basicConfig(level=logging.INFO, stream=sys.stdout, format='%(message)s')\n")
    proc = run_python(code, tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == ("<string>:3: RuntimeWarning: scanner.redact.install() found no logging handler to protect: "
                           "call it after logging.basicConfig() or dictConfig(); a handler added later is not "
                           "filtered\n")


def test_structlog_processor_after_the_renderer_masks_the_rendered_line(tmp_path):
    """Before: an AttributeError from inside every log call ('str' object has no attribute 'items')."""
    code = ("import structlog\nfrom scanner.redact import StructlogProcessor\n"
            "structlog.configure(processors=[structlog.processors.JSONRenderer(), StructlogProcessor()])\n"
            f"structlog.get_logger().info('push', token='{GITHUB_PAT}')\n")
    proc = run_python(code, tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == '{"token": "[REDACTED:github-pat]", "event": "push"}\n'


def test_loguru_patcher_given_as_a_filter_masks_and_drops_nothing(tmp_path):
    """Before: it returned None, so as a sink's filter= it dropped every record, silently."""
    code = ("import sys\nfrom loguru import logger\nfrom scanner.redact import LoguruPatcher\nlogger.remove()\n"
            "logger.add(sys.stdout, format='{level} {message}', filter=LoguruPatcher())\n"
            f"logger.info('pushing with {{}}', '{GITHUB_PAT}')\n")
    proc = run_python(code, tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "INFO pushing with [REDACTED:github-pat]\n", "")


@pytest.mark.parametrize(("imports", "call", "message"), [
    ("from opentelemetry.sdk.trace.export import SimpleSpanProcessor\n"
     "from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter\n"
     "from scanner.redact.otel import RedactingSpanExporter",
     "RedactingSpanExporter(SimpleSpanProcessor(InMemorySpanExporter()))",
     "RedactingSpanExporter wraps an exporter; SimpleSpanProcessor is not one"),
    ("from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor\n"
     "from scanner.redact.otel import RedactingLogExporter",
     "RedactingLogExporter(SimpleLogRecordProcessor(InMemoryLogRecordExporter()))",
     "RedactingLogExporter wraps an exporter; SimpleLogRecordProcessor is not one"),
])
def test_exporter_wrapper_given_a_processor_says_so(imports, call, message, tmp_path):
    """Before: accepted, then an AttributeError at the first export, in the exporting thread."""
    proc = run_python(f"{imports}\n{call}\n", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == f"TypeError: {message}"
