"""Every example in README.md and docs/*.md is run (the convention is written down in docs/README.md).

- ```sh blocks: each line (a trailing backslash joins the next) runs with ``bash -o pipefail`` in a copy of
  a small fixture (a git repository with fake secrets in files and history, logs, traces, an image); the
  blocks of one page share one copy, in order. A line must exit 0 or 1 (findings), or the N of a trailing
  ``# exit N`` comment; it must never print a Python traceback; a trailing ``# 'TEXT'`` (or
  ``# exit N 'TEXT'``) comment means the output holds TEXT; and a line that runs veil without
  ``--show-secrets`` must not print a fake secret.
  A line marked ``# not run: <reason>`` is skipped, and so is a ``pip install`` (it would change the very
  environment the test runs in); both are counted below.
- ```python blocks run with ``python -c`` in the same copy, must exit 0 and print no traceback on stderr
  (one the example logs on purpose, masked, goes to stdout); a ``# 'TEXT'`` comment on a line means the
  block's output holds TEXT.
- ```toml blocks are written to a file (``veil.toml``, or the name a first-line comment gives, such as
  ``# .gitleaks.toml``) and loaded with ``veil config show -c FILE``; a file of rules with examples is
  also checked with ``veil rules test FILE``.
- ```yaml, ```text and unlabelled blocks are not run.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TRACES = ROOT / "tests" / "data" / "traces"
FAKE_SECRETS = (GITHUB_PAT, GITHUB_PAT_2, AWS_KEY_ID)
# The lines that may be skipped, all pages together: keep them few.
MAX_SKIPPED = 12

FENCE = re.compile(r"^(`{3,})([^`\n]*)\n(.*?)^\1[ \t]*$", re.M | re.S)
EXIT = re.compile(r"^exit\s+(\d+)\b")
NOT_RUN = re.compile(r"^not run:\s*(\S.*)$")
EXPECT = re.compile(r"^(?:exit\s+\d+\s+)?'(.*)'$")  # 'TEXT', or exit N 'TEXT'


# ------------------------------------------------------------------------------------------- reading pages


@dataclass
class Block:
    page: Path
    lang: str
    info: str
    line: int  # 1-based line of the opening fence
    text: str


@dataclass
class Command:
    text: str  # the shell line (continuations joined)
    comment: str  # the trailing comment, without '#'
    line: int

    @property
    def exit_code(self) -> int | None:
        m = EXIT.match(self.comment)
        return int(m.group(1)) if m else None

    @property
    def skip_reason(self) -> str | None:
        m = NOT_RUN.match(self.comment)
        if m:
            return m.group(1)
        if re.match(r"^pip3? install\b", self.text):
            return "pip install changes the environment the test runs in"
        return None

    @property
    def expected(self) -> str | None:
        m = EXPECT.match(self.comment)
        return m.group(1) if m else None


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        info = m.group(2).strip()
        out.append(Block(page, (info.split() or [""])[0].lower(), info, text.count("\n", 0, m.start()) + 1,
                         m.group(3)))
    return out


def split_comment(line: str) -> tuple[str, str]:
    """A shell or Python line and its trailing comment: the first # outside quotes after a space."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                continue
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def commands(block: Block) -> list[Command]:
    out, pending, start = [], "", 0
    for offset, raw in enumerate(block.text.splitlines(), start=block.line + 1):
        if not pending:
            start = offset
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        code, comment = split_comment(pending + raw)
        pending = ""
        if code.strip():
            out.append(Command(code.strip(), comment, start))
    return out


def expectations(block: Block) -> list[str]:
    found = []
    for raw in block.text.splitlines():
        m = EXPECT.match(split_comment(raw)[1])
        if m:
            found.append(m.group(1))
    return found


# ------------------------------------------------------------------------------------------------ fixture


def _git(cwd: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)


def _tar(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _images(work: Path) -> None:
    """``app.tar`` (a `docker save` archive) and ``oci-layout-dir`` (an OCI image layout), one image each:
    a token in /srv/app.env, a key id in the config's Env."""
    layer = _tar([("srv/app.env", f"GITHUB_TOKEN={GITHUB_PAT}\n".encode()),
                  ("srv/app.py", b"print('hello')\n")])
    config = json.dumps({"config": {"Env": [f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}"], "Cmd": ["python", "app.py"]},
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
                         "history": [{"created_by": "COPY srv /srv"}]}).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["app:1"], "Layers": ["layer.tar"]}]).encode()
    _write(work / "app.tar", _tar([("config.json", config), ("layer.tar", layer), ("manifest.json", manifest)]))

    root = work / "oci-layout-dir"
    (root / "blobs" / "sha256").mkdir(parents=True)

    def blob(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        (root / "blobs" / "sha256" / digest).write_bytes(data)
        return f"sha256:{digest}"

    zipped = gzip.compress(layer, mtime=0)
    image = {"schemaVersion": 2,
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config),
                        "size": len(config)},
             "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(zipped),
                         "size": len(zipped)}]}
    data = json.dumps(image).encode()
    index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                                "digest": blob(data), "size": len(data),
                                                "annotations": {"org.opencontainers.image.ref.name": "1"}}]}
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "VEIL_HASH"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Alice", GIT_AUTHOR_EMAIL="alice@example.com",
               GIT_COMMITTER_NAME="Alice", GIT_COMMITTER_EMAIL="alice@example.com", LC_ALL="C.UTF-8",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               NO_COLOR="1", COLUMNS="120")
    return env


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The fixture every page starts from: a git repository named ``work`` holding fake secrets."""
    base = tmp_path_factory.mktemp("docs")
    home = base / "home"
    home.mkdir()
    env = _env(home)
    work = base / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main", env=env)

    def commit(message: str, date: str) -> None:
        _git(work, "add", "-A", env=env)
        dated = {**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        _git(work, "commit", "-q", "-m", message, env=dated)

    _write(work / "app" / "config.py", f'import os\n\nGITHUB_TOKEN = "{GITHUB_PAT}"\n')
    _write(work / "app" / "__init__.py", "")
    commit("app: config", "2024-01-01T12:00:00+00:00")
    _git(work, "update-ref", "refs/remotes/origin/main", "HEAD", env=env)
    _write(work / "app" / "settings.py", f'import os\n\nGITHUB_TOKEN = "{GITHUB_PAT}"\n')
    _write(work / "app" / "config.py", 'import os\n\nGITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n')
    _write(work / "src" / "deploy.py", f'AWS_ACCESS_KEY_ID = "{AWS_KEY_ID}"\n')
    _write(work / "config" / "app.yaml", "server:\n  port: 8080\n")
    commit("settings, deploy script", "2024-01-21T12:00:00+00:00")

    # Logs, traces and images, committed too (a tree as a project might hold them).
    _write(work / "build.log", f"step 3/7: git push https://x:{GITHUB_PAT}@github.com/acme/app\n")
    _write(work / "app.log", f"INFO pushing with {GITHUB_PAT}\nINFO done\n")
    _write(work / "worker.log", f"INFO key {AWS_KEY_ID} loaded\n")
    _write(work / "run.log", "INFO connecting with s3cr3t-Opaque_v4lue\n")
    _write(work / "agent.jsonl", json.dumps({"level": "info", "msg": f"calling the API with token {GITHUB_PAT}"})
           + "\n" + json.dumps({"level": "info", "msg": "done"}) + "\n")
    _write(work / "values.txt", "s3cr3t-Opaque_v4lue\n")
    _write(work / "traces.jsonl", (TRACES / "openai_genai_traces.jsonl").read_bytes())
    _write(work / "logs.jsonl", (TRACES / "openai_genai_logs.jsonl").read_bytes())
    _write(work / "runs.jsonl", (TRACES / "langchain_runs.jsonl").read_bytes())
    _write(work / "agent-1.jsonl.gz", gzip.compress((TRACES / "openai_agents_trace.jsonl").read_bytes(), mtime=0))
    _write(work / "c2s.jsonl", (TRACES / "mcp_client_to_server.jsonl").read_bytes())
    _write(work / "s2c.jsonl", (TRACES / "mcp_server_to_client.jsonl").read_bytes())
    _write(work / "trace.jsonl", (TRACES / "openai_chat_log.jsonl").read_bytes())
    _write(work / "runs" / "a.jsonl", json.dumps({"role": "tool", "content": f"export GH={GITHUB_PAT_2}"}) + "\n")
    _write(work / "my-rules.toml", (
        '[[rules]]\nid = "acme-token"\ndescription = "ACME internal API token"\n'
        "regex = '''\\b(acme_[0-9a-f]{24})\\b'''\nkeywords = [\"acme_\"]\n"
        '[rules.examples]\npositive = ["ACME=acme_3f9c2a7b1d8e4f60a5b2c9d1"]\nnegative = ["acme_3f9c"]\n'))
    _images(work)
    commit("logs, traces, images", "2024-02-01T12:00:00+00:00")
    return work, env


@dataclass
class Result:
    ran: int = 0
    skipped: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _output(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")


def _run_sh(block: Block, cwd: Path, env: dict, result: Result) -> None:
    for cmd in commands(block):
        where = f"{block.page.name}:{cmd.line}: {cmd.text}"
        reason = cmd.skip_reason
        if reason:
            result.skipped.append(f"{where}  ({reason})")
            continue
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd.text], cwd=cwd, env=env, capture_output=True,
                              timeout=60, stdin=subprocess.DEVNULL)
        result.ran += 1
        out = _output(proc)
        allowed = {cmd.exit_code} if cmd.exit_code is not None else {0, 1}
        if proc.returncode not in allowed:
            result.failures.append(f"{where}\n  exit {proc.returncode}, expected {sorted(allowed)}\n{out[-1500:]}")
        if "Traceback (most recent call last)" in out:
            result.failures.append(f"{where}\n  printed a traceback\n{out[-3000:]}")
        if cmd.expected is not None and cmd.expected not in out:
            result.failures.append(f"{where}\n  output lacks {cmd.expected!r}\n{out[-1500:]}")
        if "veil" in cmd.text and "--show-secrets" not in cmd.text:
            shown = [s[:8] + "…" for s in FAKE_SECRETS if s in out]
            if shown:
                result.failures.append(f"{where}\n  printed a secret in clear: {shown}\n{out[-1500:]}")


def _run_python(block: Block, cwd: Path, env: dict, result: Result) -> None:
    where = f"{block.page.name}:{block.line}: python block"
    proc = subprocess.run([sys.executable, "-c", block.text], cwd=cwd, env=env, capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    result.ran += 1
    out = _output(proc)
    # A traceback the example logs on purpose goes to stdout, masked; one on stderr is a crash or a
    # logging error.
    if proc.returncode != 0 or "Traceback (most recent call last)" in proc.stderr.decode(errors="replace"):
        result.failures.append(f"{where}\n  exit {proc.returncode}\n{out[-3000:]}")
    for text in expectations(block):
        if text not in out:
            result.failures.append(f"{where}\n  output lacks {text!r}\n{out[-1500:]}")


def _run_toml(block: Block, scratch: Path, env: dict, result: Result) -> None:
    where = f"{block.page.name}:{block.line}: toml block"
    first = block.text.lstrip().splitlines()[0] if block.text.strip() else ""
    m = re.match(r"#\s*(\S+\.toml)\b", first)
    folder = scratch / f"toml-{block.line}"
    folder.mkdir()
    path = folder / (m.group(1).split("/")[-1] if m else "veil.toml")
    path.write_text(block.text, encoding="utf-8")
    checks = [["veil", "config", "show", "-c", str(path)]]
    if re.search(r"^\[rules\.examples\]", block.text, re.M) and not re.search(r"^\[(scan|allowlist)\]", block.text,
                                                                             re.M):
        checks.append(["veil", "rules", "test", str(path)])
    for argv in checks:
        proc = subprocess.run(argv, cwd=folder, env=env, capture_output=True, timeout=60)
        result.ran += 1
        if proc.returncode != 0 or "Traceback" in _output(proc):
            result.failures.append(f"{where}\n  {' '.join(argv[:3])} exit {proc.returncode}\n{_output(proc)[-2000:]}")


def run_page(page: Path, template: tuple[Path, dict], scratch: Path) -> Result:
    work, env = template
    cwd = scratch / "work"
    shutil.copytree(work, cwd, symlinks=True)
    result = Result()
    for block in blocks(page):
        if block.lang in ("sh", "bash", "shell", "console"):
            _run_sh(block, cwd, env, result)
        elif block.lang == "python":
            _run_python(block, cwd, env, result)
        elif block.lang == "toml":
            _run_toml(block, scratch, env, result)
    return result


# -------------------------------------------------------------------------------------------------- tests

RESULTS: dict[str, Result] = {}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_example_runs(page, template, tmp_path):
    result = run_page(page, template, tmp_path)
    RESULTS[page.name] = result
    assert not result.failures, f"{len(result.failures)} example(s) failed:\n\n" + "\n\n".join(result.failures)


def test_few_examples_are_skipped_and_each_says_why():
    skipped = []
    for page in PAGES:
        for block in blocks(page):
            if block.lang in ("sh", "bash", "shell", "console"):
                skipped += [f"{page.name}:{c.line}" for c in commands(block) if c.skip_reason]
    assert len(skipped) <= MAX_SKIPPED, skipped


def test_every_page_has_runnable_examples_or_none_at_all():
    """A page's code blocks use a label the test knows, so nothing meant to run is silently ignored."""
    known = {"sh", "bash", "python", "toml", "yaml", "text", "json", ""}
    for page in PAGES:
        for block in blocks(page):
            assert block.lang in known, f"{page.name}:{block.line}: unknown block label {block.info!r}"


def test_relative_links_resolve():
    link = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")
    for page in PAGES:
        for target, _ in link.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)}: broken link {target}"


def test_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 160
    # The two set-up commands, exactly as .ci/run and new users run them.
    assert "```sh\npip install . && veil scan .\n```" in readme
    assert "```sh\npip install '.[test]' && ruff check . && python -m pytest\n```" in readme
