"""Read an archive's manifests: which images it holds, their configs, and their layers in order.

``index.json`` (OCI layout, OCI archive, Docker ≥ 25 ``docker save``) wins over ``manifest.json``
(the legacy ``docker save`` layout). Nested indexes (multi-platform images) are followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import orjson
import regex

from .archive import Archive, BlobRef, HostileError, MissingError

MAX_INDEX_DEPTH = 4
NOT_AN_IMAGE = "not an OCI layout, OCI archive or docker save archive"
_DIGEST = regex.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]{16,}$")
_INDEX_TYPES = {"application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"}
_REF_NAME = "org.opencontainers.image.ref.name"
_IMAGE_NAME = "io.containerd.image.name"


@dataclass
class LayerRef:
    """One layer of one image: its 1-based index, digest, and where its blob is (None if unreadable)."""

    index: int
    digest: str
    blob: BlobRef | None
    problem: str = ""
    hostile: bool = False


@dataclass
class ImageRef:
    """One image (one platform of a multi-platform image) in an archive."""

    name: str
    platform: str
    config: dict | None
    config_id: str = ""  # digest (or path) of the config blob: configs shared by images are scanned once
    layers: list[LayerRef] = field(default_factory=list)


@dataclass
class Layout:
    images: list[ImageRef] = field(default_factory=list)
    problems: list[tuple[str, bool]] = field(default_factory=list)  # (message, hostile)


def _json(archive: Archive, name: str) -> dict | list:
    return orjson.loads(archive.read(name))


def blob_name(digest: str) -> str:
    """``blobs/<alg>/<hex>`` for a digest; HostileError for a digest that could name another path."""
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise HostileError(f"invalid digest {digest!r}")
    alg, hexpart = digest.split(":", 1)
    return f"blobs/{alg}/{hexpart}"


def _platform(descriptor: dict) -> str:
    p = descriptor.get("platform") or {}
    parts = [p.get("os"), p.get("architecture"), p.get("variant")]
    return "/".join(str(x) for x in parts if x)


def _display_name(archive: Archive, ref: str | None, fallback: str) -> str:
    base = os.path.basename(archive.label.rstrip("/")) or archive.label
    if ref and ("/" in ref or ":" in ref):
        return ref
    return f"{base}:{ref}" if ref else f"{base}@{fallback[:19]}"


def read_layout(archive: Archive) -> Layout:
    """Every image in ``archive``, with problems (missing blobs, bad JSON, hostile names) listed, not raised."""
    layout = Layout()
    try:
        if archive.exists("index.json"):
            index = _json(archive, "index.json")
            tags = _repo_tags(archive)
            for descriptor in index.get("manifests") or []:
                _descend(archive, descriptor, None, tags, layout, 0)
        elif archive.exists("manifest.json"):
            _docker_save(archive, layout)
        else:
            layout.problems.append((NOT_AN_IMAGE + ": no index.json or manifest.json", False))
    except (ValueError, TypeError, AttributeError, MissingError, HostileError) as exc:
        layout.problems.append((f"cannot read the image index: {exc}", isinstance(exc, HostileError)))
    return layout


def _repo_tags(archive: Archive) -> dict[str, str]:
    """Docker ≥ 25 tars carry ``manifest.json`` too: config digest → first RepoTag, to name OCI images."""
    try:
        entries = _json(archive, "manifest.json") if archive.exists("manifest.json") else []
        return {
            "sha256:" + os.path.basename(e["Config"]).removesuffix(".json"): e["RepoTags"][0]
            for e in entries if isinstance(e, dict) and e.get("RepoTags")
        }
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, MissingError, HostileError):
        return {}


def _descend(archive: Archive, descriptor: dict, name: str | None, tags: dict[str, str], layout: Layout,
             depth: int) -> None:
    digest = descriptor.get("digest", "")
    annotations = descriptor.get("annotations") or {}
    name = annotations.get(_IMAGE_NAME) or annotations.get(_REF_NAME) or name
    try:
        doc = _json(archive, blob_name(digest))
    except (ValueError, MissingError, HostileError) as exc:
        layout.problems.append((f"manifest {digest}: {exc}", isinstance(exc, HostileError)))
        return
    if not isinstance(doc, dict):
        layout.problems.append((f"manifest {digest}: not a JSON object", False))
        return
    media_type = doc.get("mediaType") or descriptor.get("mediaType", "")
    if media_type in _INDEX_TYPES or "manifests" in doc:
        if depth >= MAX_INDEX_DEPTH:
            layout.problems.append((f"index {digest}: nested deeper than {MAX_INDEX_DEPTH} levels", True))
            return
        for child in doc.get("manifests") or []:
            _descend(archive, child, name, tags, layout, depth + 1)
        return
    platform = _platform(descriptor)
    if annotations.get("vnd.docker.reference.type") == "attestation-manifest":
        platform = "attestation"
    config_digest = (doc.get("config") or {}).get("digest", "")
    config = _config(archive, blob_name_or_none(config_digest), config_digest, layout)
    image = ImageRef(_display_name(archive, tags.get(config_digest) or name, digest), platform, config, config_digest)
    for i, layer in enumerate(doc.get("layers") or [], 1):
        image.layers.append(_layer(archive, i, layer.get("digest", ""), None))
    layout.images.append(image)


def blob_name_or_none(digest: str) -> str | None:
    try:
        return blob_name(digest)
    except HostileError:
        return None


def _config(archive: Archive, name: str | None, label: str, layout: Layout) -> dict | None:
    if name is None:
        layout.problems.append((f"config {label!r}: invalid digest", True))
        return None
    try:
        config = _json(archive, name)
    except (ValueError, MissingError, HostileError) as exc:
        layout.problems.append((f"config {label}: {exc}", isinstance(exc, HostileError)))
        return None
    return config if isinstance(config, dict) else None


def _layer(archive: Archive, index: int, digest: str, path: str | None) -> LayerRef:
    try:
        ref = archive.locate(path if path is not None else blob_name(digest))
    except HostileError as exc:
        return LayerRef(index, digest, None, str(exc), hostile=True)
    except MissingError as exc:
        return LayerRef(index, digest, None, f"blob missing from the archive ({exc})")
    return LayerRef(index, digest, ref)


def _docker_save(archive: Archive, layout: Layout) -> None:
    entries = _json(archive, "manifest.json")
    if not isinstance(entries, list):
        raise ValueError("manifest.json is not a list")
    for entry in entries:
        config_path = entry.get("Config", "")
        config = _config(archive, config_path, config_path, layout)
        diff_ids = ((config or {}).get("rootfs") or {}).get("diff_ids") or []
        tags = entry.get("RepoTags") or []
        label = _display_name(archive, tags[0] if tags else None, os.path.basename(config_path))
        image = ImageRef(label, "", config, config_path)
        for i, path in enumerate(entry.get("Layers") or [], 1):
            digest = diff_ids[i - 1] if i <= len(diff_ids) else path
            image.layers.append(_layer(archive, i, digest, path))
        layout.images.append(image)
