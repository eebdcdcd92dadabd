"""``veil image`` on real images built by umoci and converted by skopeo (OCI dir, OCI archive,
docker-archive, zstd and uncompressed layers), plus a Docker ≥ 25 style tar, a gzipped docker save,
a multi-platform index, and a buildah build from a Containerfile."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from scanner.ruleset import RuleSet, default_rules
from scanner.sources.image import ImageOptions, scan_image
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

STABLE = ("github-pat", "aws-access-key-id")  # the rules these tests rely on; others may come and go
RULES = RuleSet([r for r in default_rules() if r.id in STABLE])
needs_umoci = pytest.mark.skipif(not (shutil.which("umoci") and shutil.which("skopeo")),
                                 reason="umoci and skopeo are not installed (apt-get install umoci skopeo)")


def run(*cmd, cwd=None) -> None:
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> dict[str, Path]:
    """One image in five encodings: three layers (a secret deleted, one overwritten, one visible)."""
    if not (shutil.which("umoci") and shutil.which("skopeo")):
        pytest.skip("umoci and skopeo are not installed (apt-get install umoci skopeo)")
    work = tmp_path_factory.mktemp("oci")
    img = "img:latest"
    run("umoci", "init", "--layout", "img", cwd=work)
    run("umoci", "new", "--image", img, cwd=work)
    # layer 1: /app/.env with an AWS key (deleted by layer 2)
    run("umoci", "unpack", "--rootless", "--image", img, "b1", cwd=work)
    (work / "b1/rootfs/app").mkdir()
    (work / "b1/rootfs/app/.env").write_text(f"# app\nAWS_ACCESS_KEY_ID={AWS_KEY_ID}\n")
    run("umoci", "repack", "--image", img, "--history.created_by", "COPY .env /app/.env", "b1", cwd=work)
    run("umoci", "config", "--image", img, "--config.env", f"GITHUB_TOKEN={GITHUB_PAT}",
        "--config.label", f"org.example.token={GITHUB_PAT_2}", "--config.cmd", "/bin/app",
        "--history.created_by", f"ENV AWS_ACCESS_KEY_ID={AWS_KEY_ID}", cwd=work)
    # layer 2: rm /app/.env (whiteout), /etc/app.conf with a token (overwritten by layer 3)
    run("umoci", "unpack", "--rootless", "--image", img, "b2", cwd=work)
    (work / "b2/rootfs/app/.env").unlink()
    (work / "b2/rootfs/etc").mkdir()
    (work / "b2/rootfs/etc/app.conf").write_text(f"[auth]\n\ntoken = {GITHUB_PAT}\n")
    run("umoci", "repack", "--image", img, "--history.created_by", "RUN rm /app/.env", "b2", cwd=work)
    # layer 3: /etc/app.conf rewritten without the token, /srv/visible.txt keeps one
    run("umoci", "unpack", "--rootless", "--image", img, "b3", cwd=work)
    (work / "b3/rootfs/etc/app.conf").write_text("[auth]\ntoken = from-vault\n")
    (work / "b3/rootfs/srv").mkdir()
    (work / "b3/rootfs/srv/visible.txt").write_text(f"key {GITHUB_PAT_2}\n")
    run("umoci", "repack", "--image", img, "--history.created_by", "COPY app.conf /etc/", "b3", cwd=work)
    out = {"oci-dir": work / "img"}
    run("skopeo", "copy", f"oci:{work}/img:latest", f"docker-archive:{work}/docker.tar:demo/leaky:1.0")
    run("skopeo", "copy", f"oci:{work}/img:latest", f"oci-archive:{work}/oci.tar:latest")
    run("skopeo", "copy", "--dest-compress-format", "zstd", f"oci:{work}/img:latest", f"oci:{work}/zstd:latest")
    run("skopeo", "copy", "--dest-oci-accept-uncompressed-layers", f"docker-archive:{work}/docker.tar",
        f"oci:{work}/raw:latest")
    out.update({"docker-archive": work / "docker.tar", "oci-archive": work / "oci.tar",
                "oci-zstd": work / "zstd", "oci-uncompressed": work / "raw"})
    return out


def stable(findings) -> list[tuple]:
    return [(f.rule_id, f.path, f.line, f.column, f.origin.get("layer"), f.origin.get("state"),
             f.origin.get("field")) for f in findings if f.rule_id in STABLE]


EXPECTED = [
    ("github-pat", "<image config>", 1, 14, None, None, "config.Env[0]"),
    ("github-pat", "<image config>", 1, 19, None, None, 'config.Labels["org.example.token"]'),
    ("aws-access-key-id", "<image config>", 1, 23, None, None, "history[1].created_by"),
    ("aws-access-key-id", "/app/.env", 2, 19, 1, "deleted in layer 2, still in the image", None),
    ("github-pat", "/etc/app.conf", 3, 9, 2, "overwritten in layer 3, still in the image", None),
    ("github-pat", "/srv/visible.txt", 1, 5, 3, None, None),
]


@pytest.mark.parametrize("kind", ["oci-dir", "docker-archive", "oci-archive", "oci-zstd", "oci-uncompressed"])
def test_every_encoding_gives_the_same_findings(images, kind):
    outcome = scan_image(str(images[kind]), RULES, ImageOptions(jobs=1))
    assert outcome.skipped == []
    assert stable(outcome.findings) == EXPECTED
    assert outcome.files == 4


def _manifest(layout: Path) -> dict:
    index = json.loads((layout / "index.json").read_text())
    digest = index["manifests"][0]["digest"].split(":")[1]
    return json.loads((layout / "blobs/sha256" / digest).read_text())


def test_origin_names_image_layer_digest(images):
    layers = [d["digest"] for d in _manifest(images["oci-zstd"])["layers"]]
    by_path = {f.path: f.origin for f in scan_image(str(images["oci-zstd"]), RULES).findings}
    assert by_path["/app/.env"] == {"image": "zstd:latest", "layer": 1, "digest": layers[0],
                                    "state": "deleted in layer 2, still in the image"}
    assert by_path["/srv/visible.txt"] == {"image": "zstd:latest", "layer": 3, "digest": layers[2]}
    assert by_path["<image config>"]["image"] == "zstd:latest"


def test_docker_archive_names_repo_tag_and_diff_id(images):
    with tarfile.open(images["docker-archive"]) as tar:
        entry = json.load(tar.extractfile("manifest.json"))[0]
        config = json.load(tar.extractfile(entry["Config"]))
    origins = {f.path: f.origin for f in scan_image(str(images["docker-archive"]), RULES).findings}
    assert origins["/app/.env"]["image"] == "docker.io/demo/leaky:1.0"
    assert origins["/app/.env"]["digest"] == config["rootfs"]["diff_ids"][0]


def test_gzipped_docker_save(images, tmp_path):
    packed = tmp_path / "image.tar.gz"
    packed.write_bytes(gzip.compress(images["docker-archive"].read_bytes(), compresslevel=1))
    assert stable(scan_image(str(packed), RULES).findings) == EXPECTED


def test_docker25_style_tar_prefers_index_and_names_from_manifest_json(images, tmp_path):
    """Docker ≥ 25 `docker save`: an OCI layout in the tar plus a legacy manifest.json naming blobs."""
    layout = images["oci-dir"]
    manifest = _manifest(layout)
    legacy = [{"Config": "blobs/sha256/" + manifest["config"]["digest"].split(":")[1],
               "RepoTags": ["acme/api:2.1"],
               "Layers": ["blobs/sha256/" + d["digest"].split(":")[1] for d in manifest["layers"]]}]
    (tmp_path / "manifest.json").write_text(json.dumps(legacy))
    target = tmp_path / "docker25.tar"
    with tarfile.open(target, "w") as tar:
        for name in ("oci-layout", "index.json", "blobs"):
            tar.add(layout / name, arcname=name)
        tar.add(tmp_path / "manifest.json", arcname="manifest.json")
    outcome = scan_image(str(target), RULES)
    assert stable(outcome.findings) == EXPECTED
    assert {f.origin["image"] for f in outcome.findings} == {"acme/api:2.1"}


def _blob(layout: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    (layout / "blobs/sha256" / digest).write_bytes(data)
    return f"sha256:{digest}"


def test_multi_platform_index_scans_shared_layers_once(images, tmp_path):
    layout = tmp_path / "multi"
    shutil.copytree(images["oci-dir"], layout)
    amd = json.loads((layout / "index.json").read_text())["manifests"][0]
    manifest = _manifest(layout)
    arm_manifest = dict(manifest, layers=manifest["layers"][:1])  # shares layer 1 with amd64
    arm = {"mediaType": amd["mediaType"], "digest": _blob(layout, json.dumps(arm_manifest).encode()),
           "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}
    amd = {k: v for k, v in amd.items() if k != "annotations"} | {"platform": {"os": "linux", "architecture": "amd64"}}
    nested = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [amd, arm]}
    top = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": _blob(layout, json.dumps(nested).encode()),
        "annotations": {"org.opencontainers.image.ref.name": "2.0"}}]}
    (layout / "index.json").write_text(json.dumps(top))
    outcome = scan_image(str(layout), RULES)
    env = [f for f in outcome.findings if f.path == "/app/.env"]
    assert len(env) == 1 and env[0].origin["platform"] == "linux/amd64"
    assert [f.origin["platform"] for f in outcome.findings if f.path == "<image config>"] == ["linux/amd64"] * 3
    assert stable(outcome.findings) == EXPECTED and outcome.files == 4


def test_cli_json_report_masks_and_exits_1(veil, images):
    run_ = veil("image", images["oci-archive"], "-f", "json")
    assert run_.code == 1
    assert GITHUB_PAT not in run_.out and AWS_KEY_ID not in run_.out
    env = next(f for f in run_.json()["findings"] if f["path"] == "/app/.env")
    assert env["rule"] == "aws-access-key-id" and env["line"] == 2 and env["secret"] == "AK…MP"
    assert env["origin"]["state"] == "deleted in layer 2, still in the image"
    assert env["origin"]["image"] == "oci.tar:latest"


def test_cli_text_report_and_several_images(veil, images):
    run_ = veil("image", images["oci-dir"], images["docker-archive"], "-j", "2")
    assert run_.code == 1
    assert "state=deleted in layer 2, still in the image" in run_.out
    assert "image=img:latest" in run_.out and "image=docker.io/demo/leaky:1.0" in run_.out


def test_cli_not_an_image_is_an_error(veil, tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    run_ = veil("image", tmp_path / "notes.txt")
    assert run_.code == 2 and "not an OCI layout" in run_.err
    assert veil("image", tmp_path / "nope.tar").code == 2


BUILDAH_CONTAINERFILE = f"""FROM scratch
COPY busybox /bin/busybox
ARG BUILD_TOKEN={GITHUB_PAT}
ENV AWS_ACCESS_KEY_ID={AWS_KEY_ID}
COPY secret.env /app/secret.env
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox rm /app/secret.env && echo token=$BUILD_TOKEN > /etc/app.conf"]
"""


@pytest.mark.skipif(not (shutil.which("buildah") and shutil.which("busybox")) or os.geteuid() != 0,
                    reason="buildah + busybox-static as root are needed (apt-get install buildah busybox-static)")
def test_buildah_containerfile_history_env_and_deleted_file(tmp_path):
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    shutil.copy(shutil.which("busybox"), ctx / "busybox")
    (ctx / "secret.env").write_text(f"GITHUB_TOKEN={GITHUB_PAT_2}\n")
    (ctx / "Containerfile").write_text(BUILDAH_CONTAINERFILE)
    b = ["buildah", "--storage-driver", "vfs", "--root", tmp_path / "root", "--runroot", tmp_path / "runroot"]
    try:
        run(*b, "build", "--layers", "--isolation", "chroot", "-f", "Containerfile", "-t", "demo/leaky:3", ".",
            cwd=ctx)
        run(*b, "push", "demo/leaky:3", f"docker-archive:{tmp_path}/bud.tar:demo/leaky:3")
    finally:
        subprocess.run([*map(str, b), "rm", "--all"], capture_output=True)
        subprocess.run([*map(str, b), "rmi", "--all", "--force"], capture_output=True)
    found = {(f.rule_id, f.path, f.origin.get("field", ""), f.origin.get("layer"), f.origin.get("state"))
             for f in scan_image(str(tmp_path / "bud.tar"), RULES).findings}
    history = {x for x in found if x[2].startswith("history[")}
    assert ("github-pat", "<image config>") in {x[:2] for x in history}  # ARG value leaks into RUN history
    assert any(x[0] == "github-pat" and x[3] == 3 for x in history)  # ... of the RUN layer (third)
    assert ("aws-access-key-id", "<image config>", "config.Env[1]", None, None) in found
    assert ("github-pat", "/app/secret.env", "", 2, "deleted in layer 3, still in the image") in found
    assert ("github-pat", "/etc/app.conf", "", 3, None) in found
