"""Write the generated seed inputs into ``fuzz/seeds/`` (the trace seeds are copied from ``tests/data``).

Every secret here is fake: random, well-formed, never issued. Run ``python -m fuzz.make_seeds``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

from . import SEEDS

ROOT = Path(__file__).resolve().parent.parent
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"  # the fake values of tests/conftest.py
AWS_KEY_ID = "AKIABNXJBTFQXKWOVOMP"
PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
       "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n-----END RSA PRIVATE KEY-----\n")
TEXT = {  # engine and stream seeds
    "env.txt": f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\nGITHUB_TOKEN={GITHUB_PAT}\nDEBUG=1\n",
    "escaped.jsonl": f'{{"content":"token:\\n{GITHUB_PAT}","n":1e400}}\n{{"url":"/cb?d=%22{GITHUB_PAT}%22"}}\n',
    "log.txt": f"2026-11-23 INFO password=Zq8!vR2#mK9x user=ops\nGET /api?token={GITHUB_PAT} 200\n",
    "pem.txt": f"key:\n{PEM}after\n",
    "k8s.yaml": "apiVersion: v1\nkind: Secret\ndata:\n  token: "
                + base64.b64encode(GITHUB_PAT.encode()).decode() + "\n",
    "known.txt": "value Kn0wn-s3cret-v4lue-0042 and\nfirst-line-of-known\nsecond-line-of-known\nend\n",
}


def _tar(members: dict[str, bytes]) -> bytes:
    """A tar of ``members``, cut after its end-of-archive blocks (no padding to a full record)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(body), 0
            tar.addfile(info, io.BytesIO(body))
        end = buf.tell() + 2 * tarfile.BLOCKSIZE
    return buf.getvalue()[:end]


def _digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def docker_save() -> bytes:
    layer = _tar({"app/.env": f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\n".encode(), "app/.wh.old": b""})
    config = json.dumps({"config": {"Env": [f"GITHUB_TOKEN={GITHUB_PAT}"]},
                         "rootfs": {"type": "layers", "diff_ids": [_digest(layer)]}}).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["img:latest"], "Layers": ["l1/layer.tar"]}])
    return _tar({"manifest.json": manifest.encode(), "config.json": config, "l1/layer.tar": layer})


def oci_archive() -> bytes:
    layer = gzip.compress(_tar({"srv/key.txt": f"token {GITHUB_PAT}\n".encode()}), mtime=0)
    config = json.dumps({"config": {"Env": ["PATH=/bin"]}, "rootfs": {"diff_ids": []}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"digest": _digest(config), "size": len(config)},
                           "layers": [{"digest": _digest(layer), "size": len(layer)}]}).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [
        {"digest": _digest(manifest), "size": len(manifest),
         "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}).encode()
    blobs = {f"blobs/sha256/{_digest(b)[7:]}": b for b in (layer, config, manifest)}
    return _tar({"oci-layout": b'{"imageLayoutVersion":"1.0.0"}', "index.json": index, **blobs})


def main() -> None:
    for target in ("engine", "stream"):
        folder = SEEDS / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in TEXT.items():
            (folder / name).write_text(text)
    traces = SEEDS / "trace"
    traces.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "tests/data/traces").glob("*.jsonl")):
        shutil.copyfile(source, traces / source.name)
    (traces / "document.json").write_text(json.dumps({"messages": [{"role": "tool", "content": json.dumps(
        {"cmd": f"curl -H 'Authorization: token {GITHUB_PAT}'"})}]}, indent=2) + "\n")
    images = SEEDS / "image"
    images.mkdir(parents=True, exist_ok=True)
    (images / "docker-save.tar").write_bytes(docker_save())
    (images / "oci-archive.tar").write_bytes(oci_archive())


if __name__ == "__main__":
    main()
