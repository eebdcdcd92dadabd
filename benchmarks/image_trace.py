#!/usr/bin/env python3
"""Throughput of ``veil image`` on a generated image of at least 100 MB and of ``veil trace`` on at least
100 MB of generated agent-trace JSON Lines, with Kingfisher on the same inputs when it is installed.

The image is a Python base layer (the running interpreter's standard library, ``site-packages`` and
``__pycache__`` left out), an app layer with seeded fake secrets, and a layer that deletes one of them.
It is written as an OCI archive (gzip layers) and as a ``docker save`` archive (plain layers).
The trace file mixes OTLP JSON GenAI spans, LangSmith runs, OpenAI chat logs and MCP messages, with a
fake secret in about one record in 500. Inputs are cached in ``benchmarks/.work/image_trace/``.

    python benchmarks/image_trace.py            # print the table
    python benchmarks/image_trace.py --write    # and update the "Images and traces" section of RESULTS.md

Kingfisher comes from the side venv of ``benchmarks/setup_peers.sh`` (``benchmarks/.work/peers``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import platform
import random
import subprocess
import sys
import sysconfig
import tarfile
from dataclasses import dataclass
from pathlib import Path

from throughput import veil_exe

BENCH_DIR = Path(__file__).resolve().parent
WORK = BENCH_DIR / ".work" / "image_trace"
PEERS = BENCH_DIR / ".work" / "peers"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
SECTION = "## Images and traces"
MB = 1_000_000
TRACE_BYTES = 105 * MB
GITHUB = "ghp_"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def fake_pat(rng: random.Random) -> str:
    return GITHUB + "".join(rng.choice(ALNUM) for _ in range(36))


def fake_aws(rng: random.Random) -> str:
    return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


# ---------------------------------------------------------------------------------------------- image


def _tar(files: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 1700000000
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _stdlib_files() -> list[tuple[str, bytes]]:
    root = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if "site-packages" in rel.parts or "__pycache__" in rel.parts or not path.is_file() or path.is_symlink():
            continue
        out.append((f"usr/lib/python3/{rel}", path.read_bytes()))
    return out


def _app_files(rng: random.Random) -> tuple[list[tuple[str, bytes]], list[str]]:
    files, seeded = [], []
    for i in range(400):
        lines = [f"# service {i}", "import os", "", f"TIMEOUT = {rng.randint(1, 90)}"]
        if i % 8 == 0:
            seeded.append(fake_pat(rng))
            lines.append(f'GITHUB_TOKEN = "{seeded[-1]}"')
        if i % 13 == 0:
            seeded.append(fake_aws(rng))
            lines.append(f'AWS_ACCESS_KEY_ID = "{seeded[-1]}"')
        lines += [f"def handler_{j}(event):\n    return event.get('k{j}')\n" for j in range(40)]
        files.append((f"srv/app/svc_{i:03}.py", "\n".join(lines).encode()))
    seeded.append(fake_pat(rng))
    files.append(("srv/app/.env", f"GITHUB_TOKEN={seeded[-1]}\n".encode()))
    return files, seeded


def build_image() -> tuple[Path, Path, dict]:
    """(OCI archive, docker-save archive, facts: layer bytes, text bytes, binary files, seeded secrets), cached."""
    oci, docker, meta = WORK / "image-oci.tar", WORK / "image-docker.tar", WORK / "image-v3.json"
    if oci.exists() and docker.exists() and meta.exists():
        return oci, docker, json.loads(meta.read_text())
    rng = random.Random(7)
    app, seeded = _app_files(rng)
    base = _stdlib_files()
    binary = [data for _, data in base + app if b"\0" in data[:8192]]
    layers = [_tar(base), _tar(app), _tar([("srv/app/.wh..env", b""), ("srv/app/VERSION", b"1.2.3\n")])]
    diff_ids = [f"sha256:{hashlib.sha256(t).hexdigest()}" for t in layers]
    seeded.append(fake_pat(rng))
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "config": {"Env": ["PATH=/usr/bin", f"DEPLOY_TOKEN={seeded[-1]}"], "Cmd": ["python3", "-m", "app"]},
        "history": [{"created_by": "COPY python /usr/lib/python3"}, {"created_by": "COPY app /srv/app"},
                    {"created_by": "RUN rm /srv/app/.env"}]}).encode()
    WORK.mkdir(parents=True, exist_ok=True)
    gz = [gzip.compress(t, compresslevel=6, mtime=0) for t in layers]
    blobs = {hashlib.sha256(b).hexdigest(): b for b in [config, *gz]}
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": f"sha256:{hashlib.sha256(config).hexdigest()}", "size": len(config)},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                       "digest": f"sha256:{hashlib.sha256(b).hexdigest()}", "size": len(b)}
                                      for b in gz]}).encode()
    blobs[hashlib.sha256(manifest).hexdigest()] = manifest
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "size": len(manifest),
        "digest": f"sha256:{hashlib.sha256(manifest).hexdigest()}",
        "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}).encode()
    members = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)]
    members += [(f"blobs/sha256/{h}", b) for h, b in blobs.items()]
    oci.write_bytes(_tar(members))
    config_name = f"{hashlib.sha256(config).hexdigest()}.json"
    legacy = [{"Config": config_name, "RepoTags": ["bench/python-app:1"],
               "Layers": [f"{d.split(':')[1]}.tar" for d in diff_ids]}]
    docker.write_bytes(_tar([(f"{d.split(':')[1]}.tar", t) for d, t in zip(diff_ids, layers, strict=True)]
                            + [(config_name, config), ("manifest.json", json.dumps(legacy).encode())]))
    facts = {"bytes": sum(len(t) for t in layers), "seeded": seeded, "binary": len(binary),
             "text_bytes": sum(len(d) for _, d in base + app) - sum(len(d) for d in binary)}
    meta.write_text(json.dumps(facts))
    return oci, docker, facts


# ---------------------------------------------------------------------------------------------- trace


def _words(rng: random.Random) -> list[str]:
    text = Path(sysconfig.get_paths()["stdlib"], "argparse.py").read_text()
    return [w for w in text.split() if w.isalpha()] or ["lorem", "ipsum"]


def _otlp(rng: random.Random, words: list[str], secret: str | None) -> dict:
    prompt = " ".join(rng.choices(words, k=60)) + (f" token {secret}" if secret else "")
    messages = [{"role": "user", "parts": [{"type": "text", "content": prompt}]}]
    output = [{"role": "assistant", "parts": [{"type": "tool_call", "name": "search", "id": "call_1",
                                               "arguments": {"q": " ".join(rng.choices(words, k=8))}}]}]

    def attr(k, v):
        return {"key": k, "value": {"stringValue": v}}

    span = {"traceId": f"{rng.getrandbits(128):032x}", "spanId": f"{rng.getrandbits(64):016x}", "kind": 3,
            "name": "chat gpt-4o", "startTimeUnixNano": "1795425132933313088", "endTimeUnixNano": "1795425132943147095",
            "attributes": [attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "gpt-4o"),
                           attr("gen_ai.input.messages", json.dumps(messages)),
                           attr("gen_ai.output.messages", json.dumps(output))], "status": {}}
    return {"resourceSpans": [{"resource": {"attributes": [attr("service.name", "agent")]},
                               "scopeSpans": [{"scope": {"name": "openai-v2"}, "spans": [span]}]}]}


def _langsmith(rng: random.Random, words: list[str], secret: str | None) -> dict:
    args = {"query": " ".join(rng.choices(words, k=10))} | ({"api_key": secret} if secret else {})
    return {"id": f"{rng.getrandbits(128):032x}", "name": "search", "run_type": "tool", "inputs": args,
            "outputs": {"output": " ".join(rng.choices(words, k=80))}, "extra": {"metadata": {"ls_provider": "x"}},
            "tags": [], "dotted_order": "20261123T091241840594Z01a207ad"}


def _chat(rng: random.Random, words: list[str], secret: str | None) -> dict:
    arguments = json.dumps({"path": "/tmp/x", "token": secret or "n/a"})
    return {"request": {"model": "gpt-4o", "messages": [
        {"role": "system", "content": " ".join(rng.choices(words, k=30))},
        {"role": "user", "content": " ".join(rng.choices(words, k=50))}]},
        "response": {"choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "write", "arguments": arguments}}]}}]}}


def _mcp(rng: random.Random, words: list[str], secret: str | None) -> dict:
    return {"jsonrpc": "2.0", "id": rng.randint(1, 10**6), "method": "tools/call",
            "params": {"name": "deploy", "arguments": {"note": " ".join(rng.choices(words, k=20)),
                                                       "token": secret or "none"}}}


def build_trace() -> tuple[Path, int, list[str]]:
    """(JSON Lines file, bytes, seeded secrets), cached."""
    path, meta = WORK / "trace.jsonl", WORK / "trace-v2.json"
    if path.exists() and meta.exists():
        return path, path.stat().st_size, json.loads(meta.read_text())["seeded"]
    rng = random.Random(11)
    words = _words(rng)
    makers = [_otlp, _langsmith, _chat, _mcp]
    WORK.mkdir(parents=True, exist_ok=True)
    size, seeded = 0, []
    with path.open("w") as out:
        while size < TRACE_BYTES:
            secret = fake_pat(rng) if rng.random() < 0.002 else None
            if secret:
                seeded.append(secret)
            line = json.dumps(rng.choice(makers)(rng, words, secret), separators=(",", ":")) + "\n"
            out.write(line)
            size += len(line)
    meta.write_text(json.dumps({"seeded": seeded}))
    return path, path.stat().st_size, seeded


# ---------------------------------------------------------------------------------------------- runs


@dataclass
class Result:
    input: str
    tool: str
    size: int
    wall: float
    cpu: float
    rss: int
    findings: int | str
    seeded_found: int | str
    seeded: int


def measure(argv: list[str]) -> tuple[float, float, int, int]:
    """Run ``argv`` in a child that reports its own children's wall, CPU and peak RSS (getrusage)."""
    probe = ("import json,resource,subprocess,sys,time;t=time.perf_counter();"
             "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
             "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
             "print(json.dumps([time.perf_counter()-t,r.ru_utime+r.ru_stime,r.ru_maxrss*1024,p.returncode]))")
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True).stdout
    return tuple(json.loads(out))  # type: ignore[return-value]


def veil_secrets(report: Path) -> list[str]:
    return [json.loads(line)["secret"] for line in report.read_text().splitlines() if line.strip()]


def kingfisher_secrets(report: Path) -> list[str]:
    return [f["finding"]["snippet"] for f in json.loads(report.read_text()).get("findings") or []]


def kingfisher_bin() -> Path | None:
    site = next(iter(sorted((PEERS / "lib").glob("python3*/site-packages"))), None)
    exe = site / "kingfisher" / "bin" / "kingfisher" if site else None
    return exe if exe and exe.exists() else None


def runs(repeat: int) -> tuple[list[Result], dict]:
    oci, docker, facts = build_image()
    image_bytes, image_seeded = facts["bytes"], facts["seeded"]
    trace, trace_bytes, trace_seeded = build_trace()
    veil = str(veil_exe())
    report = WORK / "report.out"
    out = ["-f", "jsonl", "--show-secrets", "-o", str(report)]
    image, traces = ("image", image_bytes, image_seeded), ("trace", trace_bytes, trace_seeded)
    plan = [
        ("image: OCI archive, gzip layers", image, "veil", [veil, "image", str(oci), *out], veil_secrets),
        ("image: docker save, plain layers", image, "veil", [veil, "image", str(docker), *out], veil_secrets),
        ("trace: JSON Lines", traces, "veil", [veil, "trace", str(trace), *out], veil_secrets),
    ]
    kingfisher = kingfisher_bin()
    if kingfisher:
        cache = ["--rule-cache-dir", str(WORK / "kf-cache")]
        flags = ["--no-validate", "--no-update-check", "--quiet", "--format", "json", *cache, "--output", str(report)]
        kf = str(kingfisher)
        plan += [
            ("image: OCI archive, gzip layers", image, "kingfisher",
             [kf, "scan", "docker", "--archive", str(oci), *flags], kingfisher_secrets),
            ("image: docker save, plain layers", image, "kingfisher",
             [kf, "scan", "docker", "--archive", str(docker), *flags], kingfisher_secrets),
            ("trace: JSON Lines", traces, "kingfisher", [kf, "scan", str(trace), "--git-history", "none", *flags],
             kingfisher_secrets),
        ]
        subprocess.run([kf, "scan", str(WORK / "image-v2.json"), *flags], capture_output=True)  # fill the rule cache
    results = []
    for label, (_, size, seeded), tool, argv, secrets_of in plan:
        best = None
        for _ in range(repeat):
            report.unlink(missing_ok=True)
            wall, cpu, rss, code = measure(argv)
            try:
                secrets = secrets_of(report)
                found: int | str = len(secrets)
                recalled: int | str = len(set(seeded) & set(secrets))
            except (OSError, ValueError, KeyError) as exc:
                found = recalled = f"n/a (exit {code}: {type(exc).__name__})"
            if best is None or wall < best.wall:
                best = Result(label, tool, size, wall, cpu, rss, found, recalled, len(set(seeded)))
        assert best is not None
        results.append(best)
        print(f"  {label:<34} {tool:<10} {best.wall:6.2f}s {size / MB / best.wall:7.1f} MB/s  "
              f"{best.findings} findings, {best.seeded_found}/{best.seeded} seeded", file=sys.stderr)
    return results, {"image": len(image_seeded), "trace": len(trace_seeded), "binary": facts["binary"],
                     "text_bytes": facts["text_bytes"]}


def table(results: list[Result], seeded: dict, repeat: int) -> str:
    veil_version = subprocess.run([str(veil_exe()), "--version"], capture_output=True, text=True).stdout.split()[-1]
    versions = [f"veil {veil_version}"]
    kingfisher = kingfisher_bin()
    if kingfisher:
        versions.append(subprocess.run([str(kingfisher), "--version"], capture_output=True, text=True).stdout.strip())
    load = os.getloadavg()[0]
    lines = [
        SECTION, "",
        f"Measured {dt.date.today()} by `python benchmarks/image_trace.py --write` (best of {repeat}) on "
        f"{os.cpu_count()} cores (load average {load:.1f} at the end), {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; " + ", ".join(versions) + ". Kingfisher runs with `--no-validate`; "
        "both tools use all cores.",
        "",
        f"- Image: the Python standard library as a base layer, an app layer with seeded fake GitHub tokens and "
        f"AWS key IDs (one in a `.env` that the third layer deletes), one more token in the config `Env`: "
        f"{seeded['image']} seeded in all. The same image as an OCI archive (gzip layers) and as a `docker save` "
        "archive (plain layers). Size = uncompressed layer bytes.",
        f"- Trace: OTLP JSON GenAI spans (messages as JSON strings), LangSmith runs, OpenAI chat logs and MCP "
        f"calls, one JSON object a line, {seeded['trace']} seeded fake GitHub tokens.",
        "",
        "| input | tool | size | wall | CPU | throughput | peak RSS | findings | seeded found |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.input} | {r.tool} | {r.size / MB:.0f} MB | {r.wall:.2f} s | {r.cpu:.2f} s | "
                     f"{r.size / MB / r.wall:.1f} MB/s | {r.rss / MB:.0f} MB | {r.findings} | "
                     f"{r.seeded_found}/{r.seeded} |")
    lines += ["", (
        "Findings count every rule that fired, so the tools differ there; *seeded found* is how many of the seeded "
        "values a tool reported (Kingfisher has no rule for a bare AWS key ID). CPU is user + system time of the "
        "tool's whole process tree; peak RSS is that of its largest process. Veil reads every layer but, as "
        f"`veil scan` does, skips binary files (here {seeded['binary']}), so its rules run over the image's "
        f"{seeded['text_bytes'] / MB:.0f} MB of text. On the trace, Kingfisher reads the file as text; Veil parses "
        "every record, decodes the JSON inside strings and names the JSON path and the message or tool of each "
        "finding, which is where its time goes.")]
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace (or append) this script's section of RESULTS.md, leaving the others alone."""
    doc = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n"
    start = doc.find(SECTION + "\n")
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = doc.find("\n## ", start + len(SECTION))
        rest = doc[end + 1:] if end >= 0 else ""
        doc = doc[:start] + text + ("\n" + rest if rest else "")
    RESULTS_MD.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and input; the fastest counts")
    parser.add_argument("--write", action="store_true", help=f"update '{SECTION}' in benchmarks/RESULTS.md")
    args = parser.parse_args()
    results, seeded = runs(args.repeat)
    text = table(results, seeded, args.repeat)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
