"""Hostile and damaged images, built here with tarfile: path traversal, links out of the archive,
decompression bombs, truncated and corrupt layers, missing blobs, opaque whiteouts, non-tar layers.
Each time the bad part is reported and the rest is still scanned."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import zstandard

from scanner.ruleset import RuleSet, default_rules
from scanner.sources.image import ImageOptions, Limits, scan_image
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

RULES = RuleSet([r for r in default_rules() if r.id in ("github-pat", "aws-access-key-id")])


def layer(*members: tuple, compress=gzip.compress) -> bytes:
    """A layer blob from (name, bytes) files and (name, type, linkname) links."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in members:
            info = tarfile.TarInfo(member[0])
            if len(member) == 3:
                info.type, info.linkname = member[1], member[2]
                tar.addfile(info)
            else:
                info.size = len(member[1])
                tar.addfile(info, io.BytesIO(member[1]))
    return compress(buf.getvalue()) if compress else buf.getvalue()


def oci_layout(root: Path, layers: list[bytes], config: dict | None = None, digests: list[str] | None = None) -> Path:
    """An OCI image layout directory holding one image made of ``layers``."""
    (root / "blobs/sha256").mkdir(parents=True)

    def blob(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        (root / "blobs/sha256" / digest).write_bytes(data)
        return f"sha256:{digest}"

    config_digest = blob(json.dumps(config or {"config": {}}).encode())
    descriptors = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(data),
                    "size": len(data)} for data in layers]
    for i, digest in enumerate(digests or []):
        descriptors[i]["digest"] = digest
    manifest = {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                               "digest": config_digest}, "layers": descriptors}
    top = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                              "digest": blob(json.dumps(manifest).encode()),
                                              "annotations": {"org.opencontainers.image.ref.name": "t"}}]}
    (root / "index.json").write_text(json.dumps(top))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return root


def found(outcome) -> list[tuple]:
    return [(f.rule_id, f.path, f.origin.get("layer")) for f in outcome.findings]


def skips(outcome) -> list[tuple[str, str]]:
    return [(s.kind, s.reason) for s in outcome.skipped]


GOOD = ("etc/good.conf", f"token={GITHUB_PAT}\n".encode())


def test_path_traversal_and_absolute_names_are_refused_and_the_rest_scanned(tmp_path):
    evil = layer(("../../root/.aws/credentials", AWS_KEY_ID.encode()), ("/etc/shadow", AWS_KEY_ID.encode()),
                 ("./app/../../escape", AWS_KEY_ID.encode()), GOOD)
    outcome = scan_image(str(oci_layout(tmp_path / "img", [evil])), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 1)]
    reasons = [r for kind, r in skips(outcome) if kind == "hostile"]
    assert len(reasons) == 3
    assert "member name '../../root/.aws/credentials' escapes the archive; not scanned" in reasons[0]
    assert "absolute member name '/etc/shadow'" in reasons[1]
    assert all(r.startswith("img:t layer 1 (sha256:") for r in reasons)


def test_hard_link_out_of_the_layer_is_reported_not_followed(tmp_path):
    evil = layer(("etc/passwd", tarfile.LNKTYPE, "../../../etc/passwd"), ("bin/sh", tarfile.SYMTYPE, "/etc/shadow"),
                 GOOD)
    outcome = scan_image(str(oci_layout(tmp_path / "img", [evil])), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 1)]
    assert [k for k, _ in skips(outcome)] == ["hostile"]
    assert "hard link 'etc/passwd' points outside the layer" in skips(outcome)[0][1]


def test_blob_symlinked_out_of_an_oci_directory_is_not_read(tmp_path):
    outside = tmp_path / "host-secret.tar"
    outside.write_bytes(layer(("stolen", GITHUB_PAT_2.encode()), compress=None))
    root = oci_layout(tmp_path / "img", [layer(GOOD), layer(("x", b"x"))])
    second = json.loads((root / "blobs/sha256" / _manifest_digest(root)).read_text())["layers"][1]["digest"]
    blob = root / "blobs/sha256" / second.split(":")[1]
    blob.unlink()
    blob.symlink_to(outside)
    outcome = scan_image(str(root), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 1)]
    assert skips(outcome)[0][0] == "hostile" and "links out of the image directory" in skips(outcome)[0][1]


def _manifest_digest(root: Path) -> str:
    return json.loads((root / "index.json").read_text())["manifests"][0]["digest"].split(":")[1]


def test_docker_save_layer_symlinked_out_of_the_archive(tmp_path):
    """The legacy layout links <id>/layer.tar to ../<diffid>.tar; a hostile one links to a host path."""
    good = layer(GOOD, compress=None)
    entries = [("good.tar", good), ("cfg.json", json.dumps({"config": {}}).encode())]
    manifest = [{"Config": "cfg.json", "RepoTags": ["evil:1"],
                 "Layers": ["good.tar", "a/layer.tar", "b/layer.tar", "../../etc/x.tar"]}]
    target = tmp_path / "evil.tar"
    with tarfile.open(target, "w") as tar:
        for name, data in [*entries, ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, link in (("a/layer.tar", "/etc/hostname"), ("b/layer.tar", "../../../etc/hostname")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, link
            tar.addfile(info)
    outcome = scan_image(str(target), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 1)]
    assert [k for k, _ in skips(outcome)] == ["hostile"] * 3
    assert "evil:1 layer 2" in skips(outcome)[0][1] and "links out of the archive" in skips(outcome)[0][1]
    assert "escapes the archive" in skips(outcome)[2][1]


def test_digest_that_names_another_path_is_refused(tmp_path):
    root = oci_layout(tmp_path / "img", [layer(GOOD), layer(("x", b"x"))], digests=["sha256:../../../../etc/passwd"])
    outcome = scan_image(str(root), RULES)
    assert found(outcome) == []
    assert skips(outcome)[0][0] == "hostile" and "invalid digest" in skips(outcome)[0][1]


def test_decompression_bomb_ratio_stops_the_layer_not_the_image(tmp_path):
    bomb = layer(("zeros", bytes(8 * 1024**2)), ("after-the-bomb", AWS_KEY_ID.encode()))
    root = oci_layout(tmp_path / "img", [bomb, layer(GOOD)])
    limits = Limits(max_ratio=50, ratio_floor=1024**2)
    outcome = scan_image(str(root), RULES, ImageOptions(jobs=1, limits=limits))
    assert found(outcome) == [("github-pat", "/etc/good.conf", 2)]
    (kind, reason), = skips(outcome)
    assert kind == "corrupt" and "layer 1" in reason and "looks like a decompression bomb" in reason


def test_cli_max_layer_size_bounds_the_total(veil, tmp_path):
    big = layer(("big.txt", b"a" * (3 * 1024**2)), compress=zstandard.ZstdCompressor().compress)
    root = oci_layout(tmp_path / "img", [big, layer(GOOD)])
    run = veil("image", root, "--max-layer-size", "1MB", "-f", "json")
    assert run.code == 2 and [f["path"] for f in run.json()["findings"]] == ["/etc/good.conf"]  # a layer cut short
    assert "layer 1" in run.err and "expands past the 1048576-byte limit" in run.err


def test_truncated_layer_keeps_what_came_before(tmp_path):
    noise = os.urandom(256 * 1024)
    data = layer(("app/first.env", f"AWS={AWS_KEY_ID}\n".encode()), ("app/noise.bin", noise),
                 ("app/last.env", GITHUB_PAT_2.encode()))
    root = oci_layout(tmp_path / "img", [data[: len(data) // 2], layer(GOOD)])
    outcome = scan_image(str(root), RULES)
    assert found(outcome) == [("aws-access-key-id", "/app/first.env", 1), ("github-pat", "/etc/good.conf", 2)]
    (kind, reason), = skips(outcome)
    assert kind == "corrupt" and "layer 1" in reason and "truncated or corrupt" in reason


def test_corrupt_gzip_and_missing_blob(tmp_path):
    corrupt = b"\x1f\x8b\x08\x00" + os.urandom(200)
    root = oci_layout(tmp_path / "img", [corrupt, layer(GOOD), layer(("y", b"y"))])
    third = json.loads((root / "blobs/sha256" / _manifest_digest(root)).read_text())["layers"][2]["digest"]
    (root / "blobs/sha256" / third.split(":")[1]).unlink()
    outcome = scan_image(str(root), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 2)]
    kinds = sorted(skips(outcome))
    assert [k for k, _ in kinds] == ["corrupt", "corrupt"]
    assert any("layer 3" in r and "blob missing" in r for _, r in kinds)
    assert any("layer 1" in r and "truncated or corrupt" in r for _, r in kinds)


def test_truncated_archive_scans_the_layers_it_still_holds(tmp_path):
    root = oci_layout(tmp_path / "img", [layer(GOOD), layer(("pad", os.urandom(64 * 1024)), compress=None)])
    target = tmp_path / "cut.tar"
    with tarfile.open(target, "w") as tar:
        for name in ("oci-layout", "index.json"):
            tar.add(root / name, arcname=name)
        blobs = sorted((root / "blobs/sha256").iterdir(), key=lambda p: p.stat().st_size)
        for path in blobs:
            tar.add(path, arcname=f"blobs/sha256/{path.name}")
    data = target.read_bytes()
    target.write_bytes(data[: len(data) - 40 * 1024])
    outcome = scan_image(str(target), RULES)
    assert found(outcome) == [("github-pat", "/etc/good.conf", 1)]
    assert any(k == "corrupt" and "layer 2" in r for k, r in skips(outcome))


def test_opaque_whiteout_hides_a_lower_directory(tmp_path):
    lower = layer(("app/.env", f"K={AWS_KEY_ID}\n".encode()), ("srv/keep", GITHUB_PAT.encode()))
    upper = layer(("app/.wh..wh..opq", b""), ("app/new", b"clean"))
    outcome = scan_image(str(oci_layout(tmp_path / "img", [lower, upper])), RULES)
    states = {f.path: f.origin.get("state") for f in outcome.findings}
    assert states == {"/app/.env": "deleted in layer 2, still in the image", "/srv/keep": None}


def test_whiteout_of_a_parent_directory_and_same_layer_whiteouts(tmp_path):
    lower = layer(("opt/tool/creds", GITHUB_PAT.encode()))
    same = layer(("var/.wh.x", b""), ("var/x", AWS_KEY_ID.encode()))  # a whiteout hides lower layers only
    upper = layer(("opt/.wh.tool", b""))
    outcome = scan_image(str(oci_layout(tmp_path / "img", [lower, same, upper])), RULES)
    states = {f.path: f.origin.get("state") for f in outcome.findings}
    assert states == {"/opt/tool/creds": "deleted in layer 3, still in the image", "/var/x": None}


def test_non_tar_layer_is_scanned_as_a_blob(tmp_path):
    statement = json.dumps({"_type": "https://in-toto.io/Statement/v0.1", "env": f"TOKEN={GITHUB_PAT}"}).encode()
    outcome = scan_image(str(oci_layout(tmp_path / "img", [statement])), RULES)
    assert found(outcome) == [("github-pat", "<layer blob>", 1)]


def test_config_history_maps_to_layers_skipping_empty_layers(tmp_path):
    config = {"config": {"Env": ["PATH=/bin", f"TOKEN={GITHUB_PAT}"], "Entrypoint": ["/app", f"--key={AWS_KEY_ID}"]},
              "history": [{"created_by": "COPY . /"}, {"created_by": f"ARG T={GITHUB_PAT_2}", "empty_layer": True},
                          {"created_by": f"|1 T={GITHUB_PAT_2} /bin/sh -c make"}]}
    outcome = scan_image(str(oci_layout(tmp_path / "img", [layer(("a", b"a")), layer(("b", b"b"))], config)), RULES)
    assert [(f.origin["field"], f.origin.get("layer"), f.column) for f in outcome.findings] == [
        ("config.Env[1]", None, 7), ("config.Entrypoint[1]", None, 7),
        ("history[1].created_by", None, 7), ("history[2].created_by", 2, 6)]


def test_compressed_archive_bomb_is_refused(tmp_path):
    target = tmp_path / "bomb.tar.gz"
    target.write_bytes(gzip.compress(bytes(4 * 1024**2), compresslevel=1))
    outcome = scan_image(str(target), RULES, ImageOptions(limits=Limits(max_ratio=10, ratio_floor=1024**2)))
    (kind, reason), = skips(outcome)
    assert kind == "corrupt" and "looks like a decompression bomb" in reason
