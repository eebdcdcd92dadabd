"""``veil redact-lake``: mask a column of a log lake (JSON lines, text or Parquet) on Spark."""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import time
import warnings
from typing import TYPE_CHECKING

import click

from ..errors import VeilError
from ..prefilter import BACKENDS
from ..redact.pump import WITHHELD
from .base import EXIT_CLEAN, EXIT_ERROR, guard
from .masking import known_values_from, masking_options

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from ..spark import Masking, Summary

TEXT_COLUMN = "value"  # the column of spark.read.text: one row a line
# Spark's own log, errors only, on stderr: no start-up banner, no warnings about the host name. Spark's
# loggers are named too: else Spark sets its shell's level (warn) and says so on stderr.
_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.org.name = org
logger.org.level = error
logger.io.name = io
logger.io.level = error
"""


@click.command("redact-lake")
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "parquet"]), default="json", show_default=True,
              help="json: JSON lines, each kept byte for byte outside the masked strings; text: each line masked "
                   "as `veil redact` masks it; parquet: the column masked, the schema kept.")
@click.option("--column", help="The column to mask: for json the top-level key whose value is masked (default: "
                               "every string of each line); for parquet the column (default: message).")
@click.option("--master", help="Spark master URL (default: local[*], or local[N] with -j).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Cores of the local Spark session  [default: all].")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@masking_options
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra rule file in Veil's TOML format (repeatable).")
@click.option("--engine", type=click.Choice(BACKENDS), help="Keyword prefilter (default: hyperscan if installed).")
@guard
def redact_lake(input_path, output, fmt, column, master, jobs, overwrite, known_values_from_env, env_names,
                known_values_file, mask, rule_files, engine) -> None:
    """Mask secrets in the files of INPUT (a file, a folder or a glob, local or any URL Spark reads) and
    write them to the folder OUTPUT as Spark part files (`cat OUTPUT/part-*` gives the text back).

    Every row and every other byte is kept: a null stays null, a line that is not JSON is masked as
    plain text (and the exit code is 2). A summary goes to stderr: rows, rows changed, masked values
    per rule, seconds, MB/s. Needs the spark extra: pip install 'veil[spark]'.
    """
    if master and jobs:
        raise click.UsageError("give --master or -j, not both (-j sets the cores of a local session)")
    if fmt == "text" and column not in (None, TEXT_COLUMN):
        raise click.UsageError("--format text masks each whole line: it has no --column")
    try:
        from ..spark import Masking
    except ImportError as exc:
        raise VeilError(f"redact-lake needs Spark ({exc.name} is missing): pip install 'veil[spark]'") from None
    if "://" not in input_path and not glob.glob(input_path):
        raise VeilError(f"{input_path}: no such file or folder")
    known = known_values_from(known_values_from_env, env_names, known_values_file)
    masking = Masking.of(rule_files, known, mask, engine)
    try:
        masking.build()  # a bad rule file or mask is said here, not in a stack trace from an executor
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    session = quiet_session(master or f"local[{jobs or '*'}]")
    try:
        started = time.monotonic()
        summary = _run(session, masking, input_path, output, fmt, column, overwrite)
        seconds = time.monotonic() - started
        size = _input_bytes(session, input_path)
    finally:
        session.stop()
    sys.exit(_report(summary, seconds, size, fmt, column))


def quiet_session(master: str) -> SparkSession:
    """A quiet Spark session: no UI, no progress bar, errors only in Spark's log."""
    from pyspark.sql import SparkSession

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    with tempfile.NamedTemporaryFile("w", suffix=".properties", prefix="veil-log4j2-", delete=False) as log4j:
        log4j.write(_LOG4J)
    builder = (SparkSession.builder.master(master).appName("veil redact-lake")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j.name}")
               .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"))
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        builder = builder.config("spark.pyspark.python", sys.executable)  # workers run this veil
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    os.unlink(log4j.name)
    return session


def _run(session: SparkSession, masking: Masking, input_path: str, output: str, fmt: str, column: str | None,
         overwrite: bool) -> Summary:
    """Read, mask, write; the summary of what was masked."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F

    from ..spark import Summary, redact_counted

    mode = "overwrite" if overwrite else "errorifexists"
    try:
        if fmt == "parquet":
            column = column or "message"
            df = session.read.parquet(input_path)
            kind = dict(df.dtypes).get(column)
            if kind != "string":
                found = f"is {kind}, not a string" if kind else f"is not one of: {', '.join(df.columns)}"
                raise VeilError(f"{input_path}: column {column!r} {found}")
            masked, observation = redact_counted(df, column, masking)
            masked.write.mode(mode).parquet(output)
        else:
            # As bytes: a line that is not UTF-8 is kept as it is, and no row is decoded twice.
            lines = session.read.option("lineSep", "\n").text(input_path)
            df = lines.select(F.col(TEXT_COLUMN).cast("binary").alias(TEXT_COLUMN))
            masked, observation = redact_counted(df, TEXT_COLUMN, masking, jsonl=fmt == "json", key=column)
            masked = masked.select(F.col(TEXT_COLUMN).cast("string").alias(TEXT_COLUMN))
            masked.write.mode(mode).option("lineSep", "\n").text(output)
    except AnalysisException as exc:
        condition = exc.getCondition() or ""
        if condition.startswith("PATH_ALREADY_EXISTS"):
            raise VeilError(f"{output}: already exists (--overwrite replaces it)") from None
        if condition.startswith("PATH_NOT_FOUND"):
            raise VeilError(f"{input_path}: no such file or folder") from None
        raise VeilError(f"Spark: {condition or type(exc).__name__}") from None
    return Summary.of(observation.get["stats"])


def _input_bytes(session: SparkSession, path: str) -> int | None:
    """The size of INPUT, through Hadoop's file system (any URL Spark reads); None if it cannot tell."""
    try:
        jvm = session.sparkContext._jvm
        hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
        fs = hadoop_path.getFileSystem(session.sparkContext._jsc.hadoopConfiguration())
        return sum(fs.getContentSummary(status.getPath()).getLength() for status in fs.globStatus(hadoop_path))
    except Exception:  # noqa: BLE001 - the size only feeds MB/s
        return None


def _report(summary: Summary, seconds: float, size: int | None, fmt: str, column: str | None) -> int:
    """Print the summary to stderr; the exit code."""
    rate = f", {size / 1e6:.1f} MB, {size / 1e6 / seconds:.1f} MB/s" if size else ""
    click.echo(f"veil: redact-lake: {summary.rows} rows, {summary.changed} changed, "
               f"{sum(summary.rules.values())} values masked in {seconds:.1f} s{rate}", err=True)
    for rule, count in sorted(summary.rules.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {rule}: {count}", err=True)
    failed = False
    if summary.not_json:
        click.echo(f"veil: error: {summary.not_json} lines are not JSON: they were masked as plain text", err=True)
        failed = True
    if summary.withheld:
        click.echo(f"veil: error: {summary.withheld} rows could not be masked: written as "
                   f"{WITHHELD.decode()}", err=True)
        failed = True
    if fmt == "json" and column and summary.rows > summary.not_json and not summary.keyed:
        click.echo(f"veil: error: no JSON line has the key {column!r}: nothing was masked", err=True)
        failed = True
    return EXIT_ERROR if failed else EXIT_CLEAN
