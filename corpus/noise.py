"""Hard negatives: real-looking files with no secret in them.

Lockfiles and checksums, minified bundles and source maps, base64 images and fonts, certificates'
public parts and SSH public keys, hashes and UUIDs in test fixtures, translation files, placeholders
and documentation examples, identifier-like values, git SHAs, and logs and agent traces without
credentials. Every value that looks random is a hash, an identifier, public key material or an
encoding of public data.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable

from carriers import SERVICES, USERS, ts
from fakes import ALNUM, HEX, LOWER_ALNUM, UPPER_ALNUM, Fake, certificate, public_key

Noise = Callable[[Fake], str]

WORDS = [
    "account",
    "order",
    "invoice",
    "customer",
    "payment",
    "refund",
    "search",
    "result",
    "cache",
    "session",
    "user",
    "profile",
    "settings",
    "report",
    "export",
    "import",
    "queue",
    "worker",
    "retry",
    "backoff",
    "timeout",
    "limit",
    "page",
    "cursor",
    "filter",
    "sort",
    "field",
    "value",
    "label",
    "title",
    "message",
    "error",
    "warning",
    "notice",
    "button",
    "submit",
    "cancel",
    "confirm",
    "reset",
    "password",
    "token",
    "secret",
    "key",
    "email",
    "address",
    "phone",
    "country",
    "region",
    "currency",
    "amount",
    "total",
    "status",
    "created",
    "updated",
    "deleted",
]
PACKAGES = [
    "react",
    "lodash",
    "axios",
    "express",
    "zod",
    "dayjs",
    "uuid",
    "chalk",
    "debug",
    "semver",
    "ms",
    "qs",
    "tslib",
    "rxjs",
    "yaml",
    "commander",
    "glob",
    "minimatch",
    "picomatch",
    "esbuild",
    "vite",
    "rollup",
]
PYPKGS = [
    "requests",
    "urllib3",
    "idna",
    "certifi",
    "charset-normalizer",
    "click",
    "jinja2",
    "markupsafe",
    "attrs",
    "pydantic",
    "pydantic-core",
    "typing-extensions",
    "anyio",
    "sniffio",
    "httpx",
    "h11",
    "orjson",
    "regex",
]
CRATES = ["serde", "serde_json", "tokio", "anyhow", "thiserror", "regex", "memchr", "bytes", "clap", "log", "libc"]
GOMODS = [
    "github.com/spf13/cobra",
    "github.com/stretchr/testify",
    "golang.org/x/sys",
    "golang.org/x/net",
    "google.golang.org/protobuf",
    "github.com/google/uuid",
    "go.uber.org/zap",
    "github.com/pkg/errors",
]


def sha(g: Fake, n: int = 64) -> str:
    return g.raw(HEX, n)


def b64_digest(g: Fake, nbytes: int) -> str:
    return base64.b64encode(g.randbytes(nbytes)).decode()


def version(g: Fake) -> str:
    return f"{g.randint(0, 9)}.{g.randint(0, 30)}.{g.randint(0, 20)}"


def ident(g: Fake, n: int | None = None) -> str:
    return g.choice("abcdefghijklmnopqrstuvwxyz_$") + g.raw(ALNUM, (n or g.randint(0, 2)))


def data_uri(g: Fake, mime: str, nbytes: int) -> str:
    header = {
        "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "font/woff2": b"wOF2\x00\x01\x00\x00",
        "image/gif": b"GIF89a",
    }.get(mime, b"")
    return f"data:{mime};base64," + base64.b64encode(header + g.randbytes(nbytes)).decode()


# ---------------------------------------------------------------------------------------------- web assets


PLACEHOLDER_TEXTS = ["Enter your password", "API key", "Paste a token", "Secret name"]


def minified_js(g: Fake) -> str:
    parts = ['!function(){"use strict";']
    for _ in range(g.randint(250, 500)):
        a, b, c = ident(g), ident(g), ident(g)
        parts.append(
            g.choice(
                [
                    f'var {a}=function({b},{c}){{return {b}.{g.choice(WORDS)}({c})+"{sha(g, 8)}"}};',
                    f'{a}.exports={{id:"{sha(g, 20)}",hash:"{sha(g, 32)}"}};',
                    f'const {a}={{apiKey:{b}.apiKey,authToken:{c}.token,label:"{g.choice(WORDS).title()}"}};',
                    f'{a}["{g.choice(WORDS)}"]=function(){{return this.{b}&&this.{c}}};',
                    f"var {a}=/^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[1-5][0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}}$/i;",
                    f'{a}.headers["X-Api-Key"]={b}.apiKey;',
                    f'{a}.placeholder="{g.choice(PLACEHOLDER_TEXTS)}";',
                    f'{a}.src="{data_uri(g, "image/png", g.randint(60, 300))}";',
                    f'{a}="{g.raw(ALNUM + "_$", g.randint(40, 64))}".split("");',
                    f'{a}.integrity="sha384-{b64_digest(g, 48)}";',
                    f'{a}.chunk={{"{g.randint(100, 999)}":"{sha(g, 20)}"}};',
                ]
            )
        )
    return "".join(parts) + "}();\n//# sourceMappingURL=main." + sha(g, 8) + ".js.map\n"


VLQ = ALNUM + "+/"


def source_map(g: Fake) -> str:
    segments = ",".join(g.raw(VLQ, g.randint(4, 8)) for _ in range(g.randint(1500, 3000)))
    mappings = ";".join(segments[i : i + 200] for i in range(0, len(segments), 200))
    sources = [f"webpack://app/./src/{g.choice(WORDS)}/{g.choice(WORDS)}.ts" for _ in range(12)]
    content = [
        f"export function {g.choice(WORDS)}{g.choice(WORDS).title()}(input: string) {{ return input.trim(); }}\n"
        for _ in sources
    ]
    doc = {
        "version": 3,
        "file": f"main.{sha(g, 8)}.js",
        "sources": sources,
        "sourcesContent": content,
        "names": [ident(g, 3) for _ in range(200)],
        "mappings": mappings,
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


def minified_css(g: Fake) -> str:
    rules = [
        f'@font-face{{font-family:Inter;font-display:swap;src:url({data_uri(g, "font/woff2", 2400)}) format("woff2")}}'
    ]
    for _ in range(g.randint(80, 160)):
        cls = f".{g.choice(WORDS)}-{g.choice(WORDS)}"
        rules.append(
            g.choice(
                [
                    f"{cls}{{color:#{sha(g, 6)};padding:{g.randint(0, 24)}px}}",
                    f"{cls}{{background:url({data_uri(g, 'image/png', g.randint(80, 400))}) no-repeat}}",
                    f"{cls}:hover{{border-color:#{sha(g, 6)}}}",
                ]
            )
        )
    return "".join(rules) + "\n/*# sourceMappingURL=app." + sha(g, 10) + ".css.map */\n"


def html_page(g: Fake) -> str:
    nonce = b64_digest(g, 16)
    bootstrap = "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"
    sri = 'crossorigin="anonymous"'
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-{nonce}' 'sha256-{b64_digest(g, 32)}'">
  <link rel="stylesheet" href="/assets/app.{sha(g, 8)}.css" integrity="sha384-{b64_digest(g, 48)}" {sri}>
  <script src="{bootstrap}" integrity="sha384-{b64_digest(g, 48)}" {sri}></script>
  <title>Sign in</title>
</head>
<body>
  <img alt="logo" src="{data_uri(g, "image/png", g.randint(600, 1500))}">
  <form method="post" action="/login">
    <input type="hidden" name="csrf_token" value="{b64_digest(g, 32)}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" placeholder="Your password">
    <button type="submit">Sign in</button>
  </form>
  <script nonce="{nonce}">window.__BUILD__ = "{sha(g, 40)}";</script>
</body>
</html>
"""


def svg_icon(g: Fake) -> str:
    path = " ".join(
        f"{g.choice('MLCQ')}{g.randint(0, 512)}.{g.randint(0, 99)} {g.randint(0, 512)}.{g.randint(0, 99)}"
        for _ in range(300)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><path fill="#{sha(g, 6)}" d="{path}"/></svg>\n'
    )


def asset_manifest(g: Fake) -> str:
    files = {f"{w}.js": f"/static/js/{w}.{sha(g, 8)}.chunk.js" for w in g.sample(WORDS, 20)}
    doc = {"files": files, "entrypoints": [f"static/js/main.{sha(g, 8)}.js"], "buildId": g.raw(ALNUM + "-_", 21)}
    return json.dumps(doc, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------- lockfiles


def package_lock(g: Fake) -> str:
    packages = {
        "": {
            "name": g.choice(SERVICES),
            "version": "1.0.0",
            "dependencies": {p: "^" + version(g) for p in PACKAGES[:6]},
        }
    }
    for name in g.sample(PACKAGES, 18):
        v = version(g)
        packages[f"node_modules/{name}"] = {
            "version": v,
            "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{v}.tgz",
            "integrity": "sha512-" + b64_digest(g, 64),
            "license": "MIT",
        }
    return (
        json.dumps(
            {
                "name": g.choice(SERVICES),
                "version": "1.0.0",
                "lockfileVersion": 3,
                "requires": True,
                "packages": packages,
            },
            indent=2,
        )
        + "\n"
    )


def yarn_lock(g: Fake) -> str:
    out = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.", "# yarn lockfile v1", ""]
    for name in g.sample(PACKAGES, 16):
        v = version(g)
        out += [
            f"{name}@^{v}:",
            f'  version "{v}"',
            f'  resolved "https://registry.yarnpkg.com/{name}/-/{name}-{v}.tgz#{sha(g, 40)}"',
            f"  integrity sha512-{b64_digest(g, 64)}",
            "",
        ]
    return "\n".join(out)


def pnpm_lock(g: Fake) -> str:
    out = ["lockfileVersion: '9.0'", "", "packages:", ""]
    for name in g.sample(PACKAGES, 14):
        out += [
            f"  {name}@{version(g)}:",
            f"    resolution: {{integrity: sha512-{b64_digest(g, 64)}}}",
            "    engines: {node: '>=18'}",
            "",
        ]
    return "\n".join(out)


def poetry_lock(g: Fake) -> str:
    out = ["# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.", ""]
    for name in g.sample(PYPKGS, 10):
        v = version(g)
        out += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{v}"',
            "optional = false",
            'python-versions = ">=3.8"',
            "files = [",
            f'    {{file = "{name}-{v}-py3-none-any.whl", hash = "sha256:{sha(g)}"}},',
            f'    {{file = "{name}-{v}.tar.gz", hash = "sha256:{sha(g)}"}},',
            "]",
            "",
        ]
    out += ["[metadata]", 'lock-version = "2.0"', 'python-versions = "^3.11"', f'content-hash = "{sha(g)}"']
    return "\n".join(out) + "\n"


def pipfile_lock(g: Fake) -> str:
    default = {
        n: {"hashes": [f"sha256:{sha(g)}" for _ in range(3)], "version": f"=={version(g)}"} for n in g.sample(PYPKGS, 8)
    }
    doc = {
        "_meta": {
            "hash": {"sha256": sha(g)},
            "pipfile-spec": 6,
            "requires": {"python_version": "3.11"},
            "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}],
        },
        "default": default,
        "develop": {},
    }
    return json.dumps(doc, indent=4) + "\n"


def requirements_hashed(g: Fake) -> str:
    out = ["#", "# This file is autogenerated by pip-compile with Python 3.11", "#"]
    for name in g.sample(PYPKGS, 10):
        out += [f"{name}=={version(g)} \\", f"    --hash=sha256:{sha(g)} \\", f"    --hash=sha256:{sha(g)}"]
    return "\n".join(out) + "\n"


def cargo_lock(g: Fake) -> str:
    out = [
        "# This file is automatically @generated by Cargo.",
        "# It is not intended for manual editing.",
        "version = 3",
        "",
    ]
    for name in g.sample(CRATES, 9):
        out += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{version(g)}"',
            'source = "registry+https://github.com/rust-lang/crates.io-index"',
            f'checksum = "{sha(g)}"',
            "",
        ]
    return "\n".join(out)


def go_sum(g: Fake) -> str:
    out = []
    for mod in GOMODS:
        v = f"v{version(g)}"
        out += [f"{mod} {v} h1:{b64_digest(g, 32)}", f"{mod} {v}/go.mod h1:{b64_digest(g, 32)}"]
    return "\n".join(out) + "\n"


def composer_lock(g: Fake) -> str:
    pkgs = [
        {
            "name": f"symfony/{w}",
            "version": f"v{version(g)}",
            "source": {"type": "git", "url": f"https://github.com/symfony/{w}.git", "reference": sha(g, 40)},
            "dist": {
                "type": "zip",
                "url": f"https://api.github.com/repos/symfony/{w}/zipball/{sha(g, 40)}",
                "reference": sha(g, 40),
                "shasum": "",
            },
        }
        for w in ("console", "yaml", "http-client", "mailer")
    ]
    return json.dumps({"content-hash": sha(g, 32), "packages": pkgs, "packages-dev": []}, indent=4) + "\n"


def gemfile_lock(g: Fake) -> str:
    gems = ["rack", "rails", "puma", "nokogiri", "pg", "sidekiq", "redis"]
    specs = "\n".join(f"    {n} ({version(g)})" for n in gems)
    checks = "\n".join(f"  {n} ({version(g)}) sha256={sha(g)}" for n in gems)
    return (
        f"GEM\n  remote: https://rubygems.org/\n  specs:\n{specs}\n\nPLATFORMS\n  ruby\n\n"
        f"CHECKSUMS\n{checks}\n\nBUNDLED WITH\n   2.5.9\n"
    )


def terraform_lock(g: Fake) -> str:
    out = [
        '# This file is maintained automatically by "terraform init".',
        "# Manual edits may be lost in future updates.",
        "",
    ]
    for prov in ("hashicorp/aws", "hashicorp/random", "cloudflare/cloudflare"):
        hashes = [f'    "h1:{b64_digest(g, 32)}",'] + [f'    "zh:{sha(g)}",' for _ in range(6)]
        out += [
            f'provider "registry.terraform.io/{prov}" {{',
            f'  version     = "{version(g)}"',
            '  constraints = "~> 5.0"',
            "  hashes = [",
            *hashes,
            "  ]",
            "}",
            "",
        ]
    return "\n".join(out)


def flake_lock(g: Fake) -> str:
    nodes = {
        n: {
            "locked": {
                "lastModified": g.randint(1_700_000_000, 1_740_000_000),
                "narHash": "sha256-" + b64_digest(g, 32),
                "owner": "NixOS",
                "repo": n,
                "rev": sha(g, 40),
                "type": "github",
            }
        }
        for n in ("nixpkgs", "flake-utils")
    }
    return json.dumps({"nodes": nodes, "root": "root", "version": 7}, indent=2) + "\n"


def nuget_lock(g: Fake) -> str:
    deps = {
        n: {
            "type": "Direct",
            "requested": f"[{version(g)}, )",
            "resolved": version(g),
            "contentHash": b64_digest(g, 64),
        }
        for n in ("Newtonsoft.Json", "Serilog", "Dapper", "Polly")
    }
    return json.dumps({"version": 1, "dependencies": {"net8.0": deps}}, indent=2) + "\n"


def gradle_verification(g: Fake) -> str:
    comps = "\n".join(
        f'      <component group="org.{w}" name="{w}-core" version="{version(g)}">\n'
        f'         <artifact name="{w}-core.jar">\n'
        f'            <sha256 value="{sha(g)}" origin="Generated by Gradle"/>\n'
        "         </artifact>\n      </component>"
        for w in ("slf4j", "jackson", "junit", "mockito")
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<verification-metadata>\n   <components>\n{comps}\n'
        "   </components>\n</verification-metadata>\n"
    )


# ---------------------------------------------------------------------------------------------- public key material


def cert_bundle(g: Fake) -> str:
    out = []
    for _ in range(g.randint(2, 4)):
        out += [
            f"# Subject: CN={g.choice(['Acme Root CA', 'Acme Issuing CA 2', 'Internal Services CA'])}",
            certificate(g),
            "",
        ]
    return "\n".join(out)


def server_cert(g: Fake) -> str:
    return certificate(g) + "\n"


def csr(g: Fake) -> str:
    return certificate(g).replace("CERTIFICATE", "CERTIFICATE REQUEST") + "\n"


def public_key_pem(g: Fake) -> str:
    return public_key(g) + "\n"


def pgp_public(g: Fake) -> str:
    body = base64.b64encode(b"\x99\x01\x8d\x04" + g.randbytes(900)).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        "\n".join(
            [
                "-----BEGIN PGP PUBLIC KEY BLOCK-----",
                "",
                *lines,
                "=" + b64_digest(g, 3),
                "-----END PGP PUBLIC KEY BLOCK-----",
            ]
        )
        + "\n"
    )


def ssh_public(g: Fake) -> str:
    kind = g.choice(["ed25519", "rsa"])
    if kind == "ed25519":
        return f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b64_digest(g, 32)[:43]} {g.choice(USERS)}@laptop\n"
    return f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{b64_digest(g, 258)} {g.choice(USERS)}@build\n"


def authorized_keys(g: Fake) -> str:
    return "".join(ssh_public(g) for _ in range(g.randint(3, 6)))


ED25519_PREFIX = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
ECDSA_PREFIX = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB"


def known_hosts(g: Fake) -> str:
    out = []
    for _ in range(g.randint(4, 8)):
        out.append(
            g.choice(
                [
                    f"|1|{b64_digest(g, 20)}|{b64_digest(g, 20)} {ED25519_PREFIX}{b64_digest(g, 32)[:43]}",
                    f"github.com {ECDSA_PREFIX}{b64_digest(g, 65)}",
                ]
            )
        )
    return "\n".join(out) + "\n"


def jwks(g: Fake) -> str:
    keys = [
        {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": g.raw(ALNUM + "-_", 43),
            "e": "AQAB",
            "n": base64.urlsafe_b64encode(g.randbytes(256)).decode().rstrip("="),
        }
        for _ in range(2)
    ]
    return json.dumps({"keys": keys}, indent=2) + "\n"


def saml_metadata(g: Fake) -> str:
    cert = "".join(certificate(g).split("\n")[1:-1])
    return (
        '<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'entityID="https://sso.acme.net/saml/metadata/{g.uuid()}">\n  <md:IDPSSODescriptor protocolSupportEnumeration='
        '"urn:oasis:names:tc:SAML:2.0:protocol">\n    <md:KeyDescriptor use="signing">\n'
        f'      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}'
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n    </md:KeyDescriptor>\n  </md:IDPSSODescriptor>\n"
        "</md:EntityDescriptor>\n"
    )


def kubeconfig_exec(g: Fake) -> str:
    ca = base64.b64encode(certificate(g).encode()).decode()
    return (
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
        f"    certificate-authority-data: {ca}\n"
        f"    server: https://{sha(g, 32).upper()}.gr7.eu-west-1.eks.amazonaws.com\n"
        "  name: prod\nusers:\n- name: prod\n  user:\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n"
    )


# ---------------------------------------------------------------------------------------------- fixtures, hashes, ids


def hash_tests(g: Fake) -> str:
    cases = []
    for _ in range(g.randint(6, 12)):
        data = " ".join(g.sample(WORDS, 3)).encode()
        cases.append(f'    ({data!r}, "{hashlib.sha256(data).hexdigest()}", "{hashlib.md5(data).hexdigest()}"),')
    return (
        '"""Digest helpers: known-answer tests."""\n\nimport hashlib\n\nimport pytest\n\nCASES = [\n'
        + "\n".join(cases)
        + '\n]\n\n\n@pytest.mark.parametrize("data,sha256,md5", CASES)\ndef test_digests(data, sha256, md5):\n'
        "    assert hashlib.sha256(data).hexdigest() == sha256\n    assert hashlib.md5(data).hexdigest() == md5\n"
    )


def uuid_fixture(g: Fake) -> str:
    rows = [
        {
            "id": g.uuid(),
            "account_id": g.uuid(),
            "order_ref": f"ORD-{g.raw(UPPER_ALNUM, 10)}",
            "sha1": sha(g, 40),
            "etag": f'W/"{sha(g, 16)}"',
            "created_at": ts(g),
        }
        for _ in range(g.randint(8, 20))
    ]
    return json.dumps(rows, indent=2) + "\n"


def jest_snapshot(g: Fake) -> str:
    out = ["// Jest Snapshot v1, https://goo.gl/fbAQLP", ""]
    for _ in range(g.randint(3, 6)):
        out += [
            f"exports[`{g.choice(WORDS)} renders {g.choice(WORDS)} 1`] = `",
            "<div",
            f'  className="{g.choice(WORDS)}-{sha(g, 5)}"',
            f'  data-testid="{g.uuid()}"',
            ">",
            f"  {g.choice(WORDS).title()}",
            "</div>",
            "`;",
            "",
        ]
    return "\n".join(out)


def golden_checksums(g: Fake) -> str:
    return "".join(f"{sha(g)}  testdata/{g.choice(WORDS)}-{i}.bin\n" for i in range(g.randint(8, 16)))


def django_fixture(g: Fake) -> str:
    users = [
        {
            "model": "auth.user",
            "pk": i,
            "fields": {
                "username": f"{g.choice(USERS)}{i}",
                "email": f"user{i}@acme.test",
                "password": f"pbkdf2_sha256$870000${g.raw(ALNUM, 22)}${b64_digest(g, 32)}",
                "is_staff": False,
            },
        }
        for i in range(1, 6)
    ]
    return json.dumps(users, indent=2) + "\n"


def password_hashes(g: Fake) -> str:
    out = ["# Test users for the login flow (hashes only)."]
    for user in USERS:
        out.append(
            g.choice(
                [
                    f"{user}:$2b$12${g.raw(ALNUM + './', 53)}",
                    f"{user}:$argon2id$v=19$m=65536,t=3,p=4${b64_digest(g, 16).rstrip('=')}$"
                    + b64_digest(g, 32).rstrip("="),
                    f"{user}:$apr1${g.raw(ALNUM, 8)}${g.raw(ALNUM + './', 22)}",
                ]
            )
        )
    return "\n".join(out) + "\n"


def token_tests(g: Fake) -> str:
    return (
        "import secrets\n\nfrom app.tokens import issue_reset_token, verify_reset_token\n\n\n"
        "def test_reset_token_roundtrip(user):\n    token = issue_reset_token(user, ttl=3600)\n"
        "    assert verify_reset_token(token) == user.id\n\n\n"
        "def test_tokens_are_unique():\n    assert secrets.token_urlsafe(32) != secrets.token_urlsafe(32)\n\n\n"
        "def test_rejects_tampered(user):\n    token = issue_reset_token(user, ttl=60)\n"
        '    assert verify_reset_token(token + "x") is None\n\n\n'
        f'PASSWORD_RESET_TOKEN_TTL = {g.choice([900, 3600, 86400])}\nTEST_PASSWORD = "correct horse battery staple"\n'
    )


def vcr_cassette(g: Fake) -> str:
    return (
        "interactions:\n- request:\n    body: null\n    headers:\n      Accept: ['application/json']\n"
        "      Authorization: ['<REDACTED>']\n      User-Agent: [python-requests/2.32.3]\n"
        f"    method: GET\n    uri: https://api.acme.net/v1/orders/{g.uuid()}\n  response:\n"
        f'    body: {{string: \'{{"id": "{g.uuid()}", "status": "paid"}}\'}}\n    headers:\n'
        f"      X-Request-Id: ['{g.uuid()}']\n      ETag: ['\"{sha(g, 32)}\"']\n"
        f"    status: {{code: 200, message: OK}}\nversion: 1\n"
    )


def csv_export(g: Fake) -> str:
    rows = ["id,customer_id,sha256,amount,currency,created_at"]
    rows += [
        f"{g.uuid()},{g.uuid()},{sha(g)},{g.randint(100, 99999) / 100},EUR,{ts(g)}" for _ in range(g.randint(30, 80))
    ]
    return "\n".join(rows) + "\n"


def xcode_project(g: Fake) -> str:
    out = ["// !$*UTF8*$!", "{", "\tarchiveVersion = 1;", "\tobjects = {"]
    for name in g.sample(WORDS, 15):
        out.append(
            f"\t\t{g.raw('0123456789ABCDEF', 24)} /* {name.title()}View.swift */ = {{isa = PBXFileReference; "
            f'path = {name.title()}View.swift; sourceTree = "<group>"; }};'
        )
    out += ["\t};", f"\trootObject = {g.raw('0123456789ABCDEF', 24)};", "}"]
    return "\n".join(out) + "\n"


def sln_file(g: Fake) -> str:
    out = ["Microsoft Visual Studio Solution File, Format Version 12.00", "# Visual Studio Version 17"]
    for name in ("Acme.Api", "Acme.Core", "Acme.Tests"):
        out += [
            f'Project("{{{g.uuid().upper()}}}") = "{name}", "src\\{name}\\{name}.csproj", "{{{g.uuid().upper()}}}"',
            "EndProject",
        ]
    return "\r\n".join(out) + "\r\n"


def notebook_output(g: Fake) -> str:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + g.randbytes(3000)).decode()
    cells = [
        {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "source": ["df.plot(kind='bar')\n"],
            "outputs": [
                {
                    "output_type": "display_data",
                    "data": {"image/png": png, "text/plain": ["<Figure size 640x480>"]},
                    "metadata": {},
                }
            ],
        }
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def wasm_loader(g: Fake) -> str:
    blob = base64.b64encode(b"\x00asm\x01\x00\x00\x00" + g.randbytes(6000)).decode()
    return f'// Generated by wasm-pack\nexport const wasmBase64 = "{blob}";\nexport const wasmSha256 = "{sha(g)}";\n'


# ---------------------------------------------------------------------------------------------- translations


TRANSLATIONS = {
    "de": {
        "Password": "Passwort",
        "Forgot your password?": "Passwort vergessen?",
        "API key": "API-Schlüssel",
        "Secret token": "Geheimes Token",
        "Reset token expired": "Reset-Token abgelaufen",
    },
    "fr": {
        "Password": "Mot de passe",
        "Forgot your password?": "Mot de passe oublié ?",
        "API key": "Clé d'API",
        "Secret token": "Jeton secret",
        "Reset token expired": "Le jeton de réinitialisation a expiré",
    },
    "es": {
        "Password": "Contraseña",
        "Forgot your password?": "¿Olvidaste tu contraseña?",
        "API key": "Clave de API",
        "Secret token": "Token secreto",
        "Reset token expired": "El token de restablecimiento caducó",
    },
    "ja": {
        "Password": "パスワード",
        "Forgot your password?": "パスワードをお忘れですか？",
        "API key": "APIキー",
        "Secret token": "シークレットトークン",
        "Reset token expired": "リセットトークンの有効期限が切れました",
    },
}


def po_file(g: Fake) -> str:
    lang = g.choice(sorted(TRANSLATIONS))
    out = ['msgid ""', 'msgstr ""', f'"Language: {lang}\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for src, dst in TRANSLATIONS[lang].items():
        out += [
            f"#: templates/auth/{g.choice(WORDS)}.html:{g.randint(3, 200)}",
            f'msgid "{src}"',
            f'msgstr "{dst}"',
            "",
        ]
    return "\n".join(out)


def i18n_json(g: Fake) -> str:
    lang = g.choice(sorted(TRANSLATIONS))
    t = TRANSLATIONS[lang]
    doc = {
        "auth": {
            "password": {
                "label": t["Password"],
                "forgot": t["Forgot your password?"],
                "reset_token_expired": t["Reset token expired"],
            }
        },
        "settings": {"api_key": {"title": t["API key"], "placeholder": "sk-..."}, "secret_token": t["Secret token"]},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def android_strings(g: Fake) -> str:
    t = TRANSLATIONS[g.choice(sorted(TRANSLATIONS))]
    rows = "\n".join(f'    <string name="{k.lower().replace(" ", "_").strip("?")}">{v}</string>' for k, v in t.items())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n{rows}\n</resources>\n'


def ios_strings(g: Fake) -> str:
    t = TRANSLATIONS[g.choice(sorted(TRANSLATIONS))]
    return "".join(f'"{k}" = "{v}";\n' for k, v in t.items())


def rails_locale(g: Fake) -> str:
    lang = g.choice(sorted(TRANSLATIONS))
    t = TRANSLATIONS[lang]
    return (
        f'{lang}:\n  devise:\n    passwords:\n      label: "{t["Password"]}"\n'
        f'      forgot: "{t["Forgot your password?"]}"\n'
        f'    reset_password_token: "{t["Reset token expired"]}"\n'
    )


def xliff(g: Fake) -> str:
    t = TRANSLATIONS[g.choice(sorted(TRANSLATIONS))]
    units = "\n".join(
        f'      <trans-unit id="{sha(g, 40)}"><source>{k}</source><target>{v}</target></trans-unit>'
        for k, v in t.items()
    )
    return (
        '<?xml version="1.0"?>\n<xliff version="1.2">\n  <file source-language="en" datatype="html">\n'
        f"    <body>\n{units}\n    </body>\n  </file>\n</xliff>\n"
    )


# ---------------------------------------------------------------------------------------------- placeholders


def readme_placeholders(g: Fake) -> str:
    return f"""# {g.choice(SERVICES)}

## Configuration

Set these before starting the service:

```sh
export OPENAI_API_KEY=<your-api-key>
export ANTHROPIC_API_KEY="sk-ant-..."
export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
export STRIPE_SECRET_KEY=sk_live_...
export DATABASE_URL=postgres://user:password@localhost:5432/app
export SLACK_WEBHOOK_URL=https://hooks.slack.com/services/XXX/YYY/ZZZ
```

Or put them in `.env` (see `.env.example`). Tokens look like `glpat-xxxxxxxxxxxxxxxxxxxx`; never commit
a real one. Call the API with `curl -H "Authorization: Bearer $API_TOKEN" https://api.example.com/v1/me`.

```python
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
headers = {{"Authorization": f"Bearer {{token}}", "X-Api-Key": settings.API_KEY}}
```
"""


def env_example(g: Fake) -> str:
    return (
        "# Copy to .env and fill in\nAPP_ENV=development\nSECRET_KEY=change-me\nDATABASE_URL=postgres://postgres:postgres@localhost:5432/dev\n"
        "REDIS_URL=redis://localhost:6379/0\nOPENAI_API_KEY=\nSTRIPE_SECRET_KEY=sk_test_your_key_here\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nSENTRY_DSN=\nAPI_TOKEN=${API_TOKEN}\n"
        "JWT_SECRET={{ jwt_secret }}\n"
        "SMTP_PASSWORD=********\nADMIN_PASSWORD=<admin-password>\n"
    )


def jinja_template(g: Fake) -> str:
    return (
        "[database]\nhost = {{ db_host }}\nuser = {{ db_user }}\npassword = {{ vault_db_password }}\n\n[api]\n"
        "api_key = {{ lookup('env', 'API_KEY') }}\nsecret = {{ secrets.api_secret | default('') }}\n"
        "token = <%= ENV['TOKEN'] %>\n"
    )


def helm_template(g: Fake) -> str:
    return (
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "app.fullname" . }}\ntype: Opaque\nstringData:\n'
        "  DATABASE_PASSWORD: {{ .Values.database.password | quote }}\n"
        '  API_KEY: {{ required "apiKey is required" .Values.apiKey | quote }}\n'
        "  JWT_SECRET: {{ randAlphaNum 32 | b64enc | quote }}\n"
    )


def k8s_secret_ref(g: Fake) -> str:
    svc = g.choice(SERVICES)
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {svc}\nspec:\n  template:\n    spec:\n"
        "      containers:\n"
        f"        - name: {svc}\n          image: ghcr.io/acme/{svc}@sha256:{sha(g)}\n          env:\n"
        "            - name: DATABASE_PASSWORD\n              valueFrom:\n                secretKeyRef:\n"
        f"                  name: {svc}-db\n                  key: password\n            - name: API_TOKEN\n"
        f"              valueFrom:\n                secretKeyRef: {{name: {svc}-api, key: token}}\n"
    )


def gha_secrets(g: Fake) -> str:
    return (
        "name: publish\non:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n"
        "    steps:\n"
        f"      - uses: actions/checkout@{sha(g, 40)} # v4.2.2\n"
        f"      - uses: actions/setup-node@{sha(g, 40)} # v4.1.0\n"
        "      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
        "      - run: ./deploy.sh\n        env:\n"
        "          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
        "          GITHUB_TOKEN: ${{ github.token }}\n"
    )


def gitlab_vars(g: Fake) -> str:
    return (
        "deploy:\n  image: alpine:3.20\n  script:\n"
        '    - echo "$REGISTRY_PASSWORD" | docker login -u "$REGISTRY_USER" --password-stdin\n'
        '    - curl -H "PRIVATE-TOKEN: $GITLAB_API_TOKEN" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/releases"\n'
        "  variables:\n    VAULT_TOKEN: $VAULT_CI_TOKEN\n"
    )


def compose_vars(g: Fake) -> str:
    return (
        "services:\n  db:\n    image: postgres:16\n    environment:\n"
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n"
        "  app:\n    image: ghcr.io/acme/app:latest\n    environment:\n      - API_KEY=${API_KEY}\n"
        "      - SECRET_KEY_BASE=${SECRET_KEY_BASE}\n"
        "    secrets: [stripe_key]\nsecrets:\n  stripe_key:\n    file: ./secrets/stripe_key.txt\n"
    )


def terraform_refs(g: Fake) -> str:
    return (
        'resource "random_password" "db" {\n  length  = 32\n  special = true\n}\n\n'
        'resource "aws_db_instance" "main" {\n  username = "app"\n  password = random_password.db.result\n}\n\n'
        'data "aws_secretsmanager_secret_version" "api" {\n  secret_id = "prod/api/key"\n}\n\n'
        'variable "api_token" {\n  type      = string\n  sensitive = true\n}\n\nlocals {\n'
        '  api_key = jsondecode(data.aws_secretsmanager_secret_version.api.secret_string)["key"]\n}\n'
    )


def openapi(g: Fake) -> str:
    return (
        "openapi: 3.0.3\ninfo:\n  title: Orders API\n  version: 1.4.0\ncomponents:\n  securitySchemes:\n"
        "    ApiKeyAuth:\n"
        "      type: apiKey\n      in: header\n      name: X-API-Key\n    BearerAuth:\n      type: http\n"
        "      scheme: bearer\n"
        "      bearerFormat: JWT\n  schemas:\n    Credentials:\n      type: object\n      properties:\n"
        "        api_key:\n"
        "          type: string\n          example: your-api-key\n        password:\n          type: string\n"
        "          format: password\n"
        '          example: "********"\n'
    )


def ansible_vault(g: Fake) -> str:
    body = g.raw(HEX, 80 * 12)
    return "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n" + "".join(
        f"  {body[i : i + 80]}\n" for i in range(0, len(body), 80)
    )


def sops_yaml(g: Fake) -> str:
    return (
        "database:\n"
        f"    password: ENC[AES256_GCM,data:{b64_digest(g, 18)},iv:{b64_digest(g, 32)},"
        f"tag:{b64_digest(g, 16)},type:str]\n"
        f"sops:\n    age:\n        - recipient: age1{g.raw('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}\n"
        '    lastmodified: "2025-02-11T10:12:44Z"\n'
        f"    mac: ENC[AES256_GCM,data:{b64_digest(g, 32)},iv:{b64_digest(g, 32)},tag:{b64_digest(g, 16)},type:str]\n"
        "    version: 3.9.4\n"
    )


def sealed_secret(g: Fake) -> str:
    return (
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: orders-db\nspec:\n  encryptedData:\n"
        f"    password: AgB{b64_digest(g, 380)}\n    username: AgC{b64_digest(g, 300)}\n"
    )


def external_secret(g: Fake) -> str:
    return (
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: api-keys\nspec:\n"
        "  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n  data:\n    - secretKey: OPENAI_API_KEY\n"
        "      remoteRef: {key: prod/ai, property: openai_api_key}\n"
    )


def spring_placeholders(g: Fake) -> str:
    return (
        "spring:\n  datasource:\n    url: jdbc:postgresql://${DB_HOST:localhost}:5432/app\n    username: ${DB_USER}\n"
        "    password: ${DB_PASSWORD}\n  security:\n    oauth2:\n      client:\n        registration:\n"
        "          github:\n"
        "            client-id: ${GITHUB_CLIENT_ID}\n            client-secret: ${GITHUB_CLIENT_SECRET}\n"
    )


def python_env_reader(g: Fake) -> str:
    return (
        '"""Settings read from the environment; no values live here."""\n\nimport os\n\n'
        'API_KEY = os.environ["API_KEY"]\npassword = os.getenv("DB_PASSWORD", "")\n'
        'secret_key = get_secret("django-secret-key")\n'
        'token = request.headers.get("Authorization", "").removeprefix("Bearer ")\n'
        'client_secret = config["oauth"]["client_secret"]\n'
        'STRIPE_KEY = settings.STRIPE_SECRET_KEY\nsigning_key = load_key(os.environ["SIGNING_KEY_PATH"])\n'
        f'access_token = cache.get(f"token:{{user_id}}")\nPASSWORD_RESET_TIMEOUT = {g.choice([3600, 259200])}\n'
    )


def js_env_reader(g: Fake) -> str:
    return (
        "const apiKey = process.env.API_KEY;\nconst secret = process.env.JWT_SECRET ?? '';\n"
        "const headers = { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey };\n"
        "export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-06-20' });\n"
        "const password = form.get('password');\nconst accessToken = await getAccessToken({ scopes: ['read'] });\n"
    )


def token_format_docs(g: Fake) -> str:
    return (
        "# Token formats\n\n| provider | prefix | example |\n| --- | --- | --- |\n"
        "| GitHub | `ghp_` | `ghp_<36 characters>` |\n"
        "| GitLab | `glpat-` | `glpat-XXXXXXXXXXXXXXXXXXXX` |\n| Stripe | `sk_live_` | `sk_live_...` |\n"
        "| OpenAI | `sk-proj-` | `sk-proj-********` |\n| Slack | `xoxb-` | `xoxb-your-token` |\n\n"
        "The AWS documentation uses `AKIAIOSFODNN7EXAMPLE` / `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`.\n"
    )


def generator_code(g: Fake) -> str:
    return (
        "import secrets\nimport string\n\n\ndef new_api_key() -> str:\n"
        "    return 'ak_' + secrets.token_urlsafe(32)\n\n\n"
        "def new_password(length: int = 20) -> str:\n    alphabet = string.ascii_letters + string.digits\n"
        "    return ''.join(secrets.choice(alphabet) for _ in range(length))\n\n\nsecret = os.urandom(32)\n"
        "token = secrets.token_hex(16)\npassword = new_password()\n"
    )


# ---------------------------------------------------------------------------------------------- identifiers


def identifier_constants(g: Fake) -> str:
    return (
        '"""Field names and routes: names of secrets, never their values."""\n\n'
        'PASSWORD_FIELD = "password_confirmation"\nTOKEN_HEADER = "X-Auth-Token"\n'
        'SECRET_KEY_NAME = "my_secret_key_name"\n'
        'password_reset_token_ttl = "password_reset_token_ttl"\napi_key_param = "api_key"\n'
        'secret_ref = "SecretKeyRef"\n'
        'getUserPasswordHash = "getUserPasswordHash"\nACCESS_TOKEN_COOKIE = "__Host-access_token"\n'
        'private_key_path = "/etc/ssl/private/server.key"\ntoken_url = "https://oauth2.googleapis.com/token"\n'
        'auth_token = "AuthTokenProviderFactoryBean"\nCLIENT_SECRET_ENV = "OAUTH_CLIENT_SECRET"\n'
        f'password_min_length = "{g.choice([12, 14, 16])}"\n'
        'secret_version = "projects/acme/secrets/db-password/versions/latest"\n'
    )


def ts_identifiers(g: Fake) -> str:
    return (
        "export enum AuthField {\n  Password = 'password',\n  PasswordConfirmation = 'passwordConfirmation',\n"
        "  ResetToken = 'resetToken',\n}\n\nexport const apiKeyHeaderName = 'x-api-key';\n"
        "export const secretKey = 'STRIPE_SECRET_KEY_NAME';\nexport const tokenStorageKey = 'auth.refreshToken.v2';\n"
        "export const passwordResetRoute = '/account/password/reset/:resetToken';\n"
    )


def java_identifiers(g: Fake) -> str:
    return (
        "package com.acme.auth;\n\npublic final class Keys {\n"
        '    public static final String PASSWORD_PARAM = "j_password";\n'
        '    public static final String API_KEY_PROPERTY = "acme.client.apiKeyProperty";\n'
        '    public static final String SECRET = "clientSecretPostAuthenticationMethod";\n'
        '    public static final String TOKEN = "oauth2AccessTokenResponseClient";\n}\n'
    )


def graphql_schema(g: Fake) -> str:
    return (
        "type User {\n  id: ID!\n  email: String!\n  passwordHash: String!\n  apiKeys: [ApiKey!]!\n}\n\n"
        "type ApiKey {\n  id: ID!\n  prefix: String!\n  lastFour: String!\n  createdAt: DateTime!\n}\n\n"
        "type Mutation {\n  resetPassword(token: String!, newPassword: String!): Boolean!\n"
        "  rotateApiKey(id: ID!): ApiKey!\n}\n"
    )


def sql_migration(g: Fake) -> str:
    return (
        f"-- migration {g.randint(20240101000000, 20251231000000)}\nCREATE TABLE users (\n  id uuid PRIMARY KEY,\n"
        "  email text NOT NULL UNIQUE,\n  password_hash text NOT NULL,\n  reset_token_digest bytea,\n"
        "  api_key_prefix varchar(8)\n);\nCREATE INDEX users_reset_token_digest_idx ON users (reset_token_digest);\n"
        f"INSERT INTO settings (key, value) VALUES ('password_min_length', '12'), ('build_sha', '{sha(g, 40)}');\n"
    )


def protobuf(g: Fake) -> str:
    return (
        'syntax = "proto3";\n\npackage acme.auth.v1;\n\nmessage LoginRequest {\n  string username = 1;\n'
        "  string password = 2;\n"
        "  string otp_token = 3;\n}\n\nmessage ApiKey {\n  string id = 1;\n  string secret_hash = 2;\n}\n"
    )


def stripe_publishable(g: Fake) -> str:
    return (
        "// Checkout page: the publishable key is public by design (https://docs.stripe.com/keys).\n"
        f"const stripe = Stripe('pk_live_51{g.raw(ALNUM, 97)}');\nconst elements = stripe.elements();\n"
    )


# ---------------------------------------------------------------------------------------------- SHAs and checksums


def changelog(g: Fake) -> str:
    out = ["# Changelog", ""]
    for minor in range(g.randint(6, 12), 0, -1):
        out += [f"## 2.{minor}.0", ""]
        out += [
            f"- {g.choice(WORDS).title()} {g.choice(WORDS)} fix "
            f"([{sha(g, 7)}](https://github.com/acme/app/commit/{sha(g, 40)}))"
            for _ in range(3)
        ]
        out.append("")
    return "\n".join(out)


def git_log(g: Fake) -> str:
    out = []
    for _ in range(g.randint(8, 16)):
        out += [
            f"commit {sha(g, 40)}",
            f"Author: {g.choice(USERS)} <{g.choice(USERS)}@acme.io>",
            f"Date:   {ts(g)}",
            "",
            f"    {g.choice(['Fix', 'Add', 'Refactor', 'Bump'])} {g.choice(WORDS)} {g.choice(WORDS)}",
            "",
        ]
    return "\n".join(out)


def blame_ignore(g: Fake) -> str:
    return "".join(f"# {g.choice(['black', 'ruff format', 'prettier'])} reformat\n{sha(g, 40)}\n" for _ in range(4))


def gitmodules(g: Fake) -> str:
    return "".join(
        f'[submodule "vendor-{w}"]\n\tpath = third_party/{w}\n\turl = https://github.com/acme/{w}.git\n'
        f"\tbranch = {sha(g, 40)}\n"
        for w in g.sample(WORDS, 3)
    )


def renovate(g: Fake) -> str:
    doc = {
        "extends": ["config:recommended"],
        "packageRules": [{"matchPackageNames": ["node"], "pinDigests": True}],
        "digest": {"node:20-alpine": f"sha256:{sha(g)}"},
    }
    return json.dumps(doc, indent=2) + "\n"


def precommit(g: Fake) -> str:
    hooks = [
        ("https://github.com/astral-sh/ruff-pre-commit", "ruff"),
        ("https://github.com/pre-commit/pre-commit-hooks", "check-yaml"),
    ]
    return "repos:\n" + "".join(
        f"  - repo: {r}\n    rev: {sha(g, 40)}  # frozen: v{version(g)}\n    hooks:\n      - id: {h}\n"
        for r, h in hooks
    )


def dockerfile_digests(g: Fake) -> str:
    return (
        f"FROM python:3.12-slim@sha256:{sha(g)} AS build\nRUN pip wheel -r requirements.txt -w /wheels\n"
        f"FROM gcr.io/distroless/python3-debian12@sha256:{sha(g)}\nCOPY --from=build /wheels /wheels\n"
        f'LABEL org.opencontainers.image.revision="{sha(g, 40)}"\n'
    )


def chart_lock(g: Fake) -> str:
    return (
        "dependencies:\n- name: postgresql\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 15.5.0\n"
        f'digest: sha256:{sha(g)}\ngenerated: "{ts(g)}"\n'
    )


def bazel_module(g: Fake) -> str:
    return (
        'http_archive(\n    name = "rules_python",\n'
        f'    sha256 = "{sha(g)}",\n    strip_prefix = "rules_python-0.31.0",\n'
        '    url = "https://github.com/bazelbuild/rules_python/releases/download/0.31.0/rules_python-0.31.0.tar.gz",\n)\n'
        f'git_override(module_name = "abseil-cpp", commit = "{sha(g, 40)}", remote = "https://github.com/abseil/abseil-cpp")\n'
    )


def homebrew_formula(g: Fake) -> str:
    return (
        'class Veilctl < Formula\n  desc "Acme CLI"\n  homepage "https://acme.io"\n'
        f'  url "https://github.com/acme/cli/archive/refs/tags/v{version(g)}.tar.gz"\n  sha256 "{sha(g)}"\n'
        '  license "MIT"\nend\n'
    )


def sha256sums(g: Fake) -> str:
    return "".join(
        f"{sha(g)}  acme-cli_{version(g)}_{os_}.tar.gz\n"
        for os_ in ("linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64")
    )


def oci_manifest(g: Fake) -> str:
    layers = [
        {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": f"sha256:{sha(g)}",
            "size": g.randint(10**5, 10**8),
        }
        for _ in range(g.randint(3, 7))
    ]
    doc = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": f"sha256:{sha(g)}", "size": 7023},
        "layers": layers,
    }
    return json.dumps(doc, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------- logs and traces


def nginx_access(g: Fake) -> str:
    out = []
    for _ in range(g.randint(60, 150)):
        ip = ".".join(str(g.randint(1, 254)) for _ in range(4))
        path = g.choice(
            [
                f"/static/js/main.{sha(g, 8)}.js",
                f"/api/v1/orders/{g.uuid()}",
                f"/img/{sha(g, 32)}.webp",
                "/healthz",
                f"/reset-password?id={g.uuid()}",
            ]
        )
        out.append(
            f"{ip} - - [14/Mar/2025:{g.randint(0, 23):02d}:{g.randint(0, 59):02d}:{g.randint(0, 59):02d} +0000] "
            f'"GET {path} HTTP/1.1" {g.choice([200, 200, 304, 404])} {g.randint(100, 90000)} "-" "Mozilla/5.0" '
            f"rt={g.random():.3f} req_id={sha(g, 32)}"
        )
    return "\n".join(out) + "\n"


def json_logs(g: Fake) -> str:
    out = []
    for _ in range(g.randint(40, 100)):
        out.append(
            json.dumps(
                {
                    "ts": ts(g),
                    "level": g.choice(["info", "debug", "warn"]),
                    "msg": f"{g.choice(WORDS)} {g.choice(WORDS)}",
                    "trace_id": sha(g, 32),
                    "span_id": sha(g, 16),
                    "traceparent": f"00-{sha(g, 32)}-{sha(g, 16)}-01",
                    "user_id": g.uuid(),
                    "session_hash": sha(g, 64),
                    "duration_ms": g.randint(1, 900),
                }
            )
        )
    return "\n".join(out) + "\n"


def agent_trace_clean(g: Fake) -> str:
    out = [json.dumps({"type": "session", "id": g.uuid(), "model": "claude-sonnet-4", "git_sha": sha(g, 40)})]
    for n in range(g.randint(10, 25)):
        call = f"toolu_01{g.raw(ALNUM, 22)}"
        out += [
            json.dumps(
                {
                    "type": "message",
                    "id": f"msg_01{g.raw(ALNUM, 22)}",
                    "role": "assistant",
                    "stop_reason": "tool_use",
                    "usage": {
                        "input_tokens": g.randint(500, 90000),
                        "output_tokens": g.randint(10, 3000),
                        "cache_read_input_tokens": g.randint(0, 80000),
                    },
                }
            ),
            json.dumps(
                {
                    "type": "tool_use",
                    "id": call,
                    "name": g.choice(["bash", "read_file", "grep"]),
                    "input": {"command": g.choice(["pytest -q", "git diff --stat", "ls src", "rg 'api_key' -n"])},
                }
            ),
            json.dumps(
                {
                    "type": "tool_result",
                    "tool_use_id": call,
                    "content": f"{g.randint(1, 90)} passed in {g.random() * 9:.2f}s",
                    "openai_call_id": f"call_{g.raw(ALNUM, 24)}",
                    "response_id": f"resp_{sha(g, 48)}",
                    "turn": n,
                }
            ),
        ]
    return "\n".join(out) + "\n"


def ci_log(g: Fake) -> str:
    return (
        f"Run actions/checkout@{sha(g, 40)}\nSyncing repository: acme/app\n  token: ***\n"
        f"HEAD is now at {sha(g, 7)} Merge pull request #{g.randint(100, 9999)}\n"
        'Run echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u acme-bot --password-stdin\nLogin Succeeded\n'
        f"#12 exporting manifest sha256:{sha(g)} done\n#12 pushing layers\n#12 writing image sha256:{sha(g)} done\n"
        f"Env: NPM_TOKEN=*** AWS_SECRET_ACCESS_KEY=*** GITHUB_TOKEN=***\n"
    )


def k8s_events(g: Fake) -> str:
    return "".join(
        f"{ts(g)}  Normal  Pulled  pod/{g.choice(SERVICES)}-{g.raw(LOWER_ALNUM, 10)}-{g.raw(LOWER_ALNUM, 5)}  "
        f'Successfully pulled image "ghcr.io/acme/app@sha256:{sha(g)}" in {g.randint(1, 9000)}ms\n'
        for _ in range(g.randint(10, 30))
    )


def audit_log(g: Fake) -> str:
    return "".join(
        json.dumps(
            {
                "event": g.choice(["api_key.created", "api_key.revoked", "login.succeeded"]),
                "actor": g.uuid(),
                "key_id": f"key_{g.raw(ALNUM, 16)}",
                "key_fingerprint": f"SHA256:{b64_digest(g, 32).rstrip('=')}",
                "last4": g.raw(ALNUM, 4),
                "ip": "10.0.0." + str(g.randint(2, 254)),
            }
        )
        + "\n"
        for _ in range(g.randint(15, 40))
    )


# ---------------------------------------------------------------------------------------------- cloud ids


def cloud_resources(g: Fake) -> str:
    acct = "".join(g.choice("0123456789") for _ in range(12))
    return (
        f'# terraform output\nvpc_id = "vpc-{sha(g, 17)}"\n'
        f'subnet_ids = ["subnet-{sha(g, 17)}", "subnet-{sha(g, 17)}"]\n'
        f'role_arn = "arn:aws:iam::{acct}:role/app-deployer"\nbucket_arn = "arn:aws:s3:::acme-prod-{sha(g, 8)}"\n'
        f'kms_key_id = "{g.uuid()}"\ninstance_id = "i-{sha(g, 17)}"\n'
        f'certificate_arn = "arn:aws:acm:eu-west-1:{acct}:certificate/{g.uuid()}"\n'
        f'azure_subscription_id = "{g.uuid()}"\ngcp_project_number = "{g.randint(10**11, 10**12)}"\n'
        f'google_client_id = "{g.randint(10**11, 10**12)}-{g.raw(LOWER_ALNUM, 32)}.apps.googleusercontent.com"\n'
    )


def iam_policy(g: Fake) -> str:
    acct = "".join(g.choice("0123456789") for _ in range(12))
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/api-key-{g.raw(ALNUM, 6)}",
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def arm_template(g: Fake) -> str:
    doc = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"adminPassword": {"type": "securestring"}},
        "resources": [
            {
                "type": "Microsoft.KeyVault/vaults",
                "name": "[concat('kv-', uniqueString(resourceGroup().id))]",
                "properties": {"tenantId": g.uuid(), "accessPolicies": [{"objectId": g.uuid(), "tenantId": g.uuid()}]},
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def ipfs_and_chain(g: Fake) -> str:
    return (
        f'contracts:\n  token: "0x{sha(g, 40)}"\n  treasury: "0x{sha(g, 40)}"\n'
        f"assets:\n  logo: ipfs://bafybei{g.raw('abcdefghijklmnopqrstuvwxyz234567', 52)}\n"
        f'security_contact_pgp_fingerprint: "{" ".join(sha(g, 4).upper() for _ in range(10))}"\n'
        f"tls_pins:\n  - sha256/{b64_digest(g, 32)}\n  - sha256/{b64_digest(g, 32)}\n"
    )


def jasypt(g: Fake) -> str:
    return (
        f"spring.datasource.password=ENC({b64_digest(g, 48)})\nspring.mail.password=ENC({b64_digest(g, 32)})\n"
        "jasypt.encryptor.password=${JASYPT_PASSWORD}\n"
    )


NEGATIVES: list[tuple[Noise, int, tuple[str, ...]]] = [
    (
        minified_js,
        10,
        ("web/static/js/main.{h}.min.js", "dashboard/dist/assets/index-{h}.js", "docs/_static/bundle.{h}.js"),
    ),
    (source_map, 5, ("web/static/js/main.{h}.js.map",)),
    (minified_css, 3, ("web/static/css/app.{h}.min.css",)),
    (html_page, 6, ("web/templates/login-{n}.html", "site/public/index-{n}.html")),
    (svg_icon, 3, ("web/static/img/icon-{n}.svg",)),
    (asset_manifest, 2, ("web/build-{n}/asset-manifest.json",)),
    (package_lock, 6, ("{svc}/package-lock.json",)),
    (yarn_lock, 4, ("{svc}/yarn.lock",)),
    (pnpm_lock, 2, ("{svc}/pnpm-lock.yaml",)),
    (poetry_lock, 4, ("{svc}/poetry.lock",)),
    (pipfile_lock, 2, ("{svc}/Pipfile.lock",)),
    (requirements_hashed, 2, ("{svc}/requirements.lock.txt",)),
    (cargo_lock, 2, ("{svc}/Cargo.lock",)),
    (go_sum, 5, ("{svc}/go.sum",)),
    (composer_lock, 1, ("{svc}/composer.lock",)),
    (gemfile_lock, 1, ("{svc}/Gemfile.lock",)),
    (terraform_lock, 2, ("infra/{svc}/.terraform.lock.hcl",)),
    (flake_lock, 1, ("flake.lock",)),
    (nuget_lock, 1, ("src/Acme.Api/packages.lock.json",)),
    (gradle_verification, 1, ("gradle/verification-metadata.xml",)),
    (cert_bundle, 5, ("certs/ca-bundle-{n}.crt", "{svc}/certs/chain.pem")),
    (server_cert, 5, ("certs/{svc}.crt", "{svc}/tls/server.pem")),
    (csr, 1, ("certs/{svc}.csr",)),
    (public_key_pem, 2, ("keys/{svc}-public.pem",)),
    (pgp_public, 1, ("SECURITY-pgp-{n}.asc",)),
    (ssh_public, 6, ("home/{user}/.ssh/id_ed25519.pub", "keys/deploy-{n}.pub")),
    (authorized_keys, 2, ("home/{user}/.ssh/authorized_keys",)),
    (known_hosts, 2, ("home/{user}/.ssh/known_hosts",)),
    (jwks, 2, ("{svc}/.well-known/jwks.json",)),
    (saml_metadata, 1, ("sso/idp-metadata.xml",)),
    (kubeconfig_exec, 2, ("home/{user}/.kube/config",)),
    (hash_tests, 6, ("{svc}/tests/test_digests_{n}.py",)),
    (uuid_fixture, 6, ("{svc}/tests/fixtures/orders-{n}.json",)),
    (jest_snapshot, 2, ("web/src/components/__snapshots__/{w}.test.tsx.snap",)),
    (golden_checksums, 2, ("{svc}/testdata/checksums-{n}.txt",)),
    (django_fixture, 1, ("{svc}/fixtures/users.json",)),
    (password_hashes, 1, ("{svc}/tests/fixtures/htpasswd",)),
    (token_tests, 3, ("{svc}/tests/test_tokens.py",)),
    (vcr_cassette, 2, ("{svc}/tests/cassettes/get_order_{n}.yaml",)),
    (csv_export, 4, ("data/exports/orders-{n}.csv",)),
    (xcode_project, 1, ("ios/Acme.xcodeproj/project.pbxproj",)),
    (sln_file, 1, ("Acme.sln",)),
    (notebook_output, 2, ("notebooks/plots-{n}.ipynb",)),
    (wasm_loader, 1, ("web/src/wasm/loader.js",)),
    (po_file, 8, ("{svc}/locale/{w}/LC_MESSAGES/django-{n}.po",)),
    (i18n_json, 8, ("web/src/i18n/{w}-{n}.json",)),
    (android_strings, 1, ("android/app/src/main/res/values-de/strings.xml",)),
    (ios_strings, 1, ("ios/Acme/de.lproj/Localizable.strings",)),
    (rails_locale, 1, ("{svc}/config/locales/devise.yml",)),
    (xliff, 1, ("web/src/locale/messages.xlf",)),
    (readme_placeholders, 6, ("{svc}/README.md", "docs/setup-{n}.md")),
    (env_example, 5, ("{svc}/.env.example", "{svc}/.env.sample")),
    (jinja_template, 2, ("ansible/roles/{svc}/templates/app.ini.j2",)),
    (helm_template, 2, ("charts/{svc}/templates/secret.yaml",)),
    (k8s_secret_ref, 4, ("k8s/{svc}/deployment-refs.yaml",)),
    (gha_secrets, 3, (".github/workflows/publish-{n}.yml",)),
    (gitlab_vars, 1, ("ci/gitlab-deploy.yml",)),
    (compose_vars, 3, ("{svc}/docker-compose.prod.yml",)),
    (terraform_refs, 3, ("infra/{svc}/secrets.tf",)),
    (openapi, 1, ("api/openapi.yaml",)),
    (ansible_vault, 1, ("ansible/group_vars/prod/vault.yml",)),
    (sops_yaml, 1, ("secrets/prod.enc.yaml",)),
    (sealed_secret, 1, ("k8s/{svc}/sealed-secret.yaml",)),
    (external_secret, 1, ("k8s/{svc}/external-secret.yaml",)),
    (spring_placeholders, 1, ("{svc}/src/main/resources/application.yml",)),
    (python_env_reader, 5, ("{svc}/app/settings_{n}.py",)),
    (js_env_reader, 2, ("{svc}/src/env-{n}.ts",)),
    (token_format_docs, 1, ("docs/token-formats.md",)),
    (generator_code, 2, ("{svc}/app/keys_{n}.py",)),
    (identifier_constants, 4, ("{svc}/app/constants_{n}.py",)),
    (ts_identifiers, 2, ("web/src/auth/fields-{n}.ts",)),
    (java_identifiers, 1, ("{svc}/src/main/java/com/acme/auth/Keys.java",)),
    (graphql_schema, 1, ("api/schema.graphql",)),
    (sql_migration, 3, ("{svc}/migrations/{n}_users.sql",)),
    (protobuf, 1, ("proto/acme/auth/v1/auth.proto",)),
    (stripe_publishable, 1, ("web/src/checkout/stripe.js",)),
    (changelog, 4, ("{svc}/CHANGELOG.md",)),
    (git_log, 1, ("docs/release-notes/git-log-{n}.txt",)),
    (blame_ignore, 1, (".git-blame-ignore-revs",)),
    (gitmodules, 1, (".gitmodules",)),
    (renovate, 1, ("renovate.json",)),
    (precommit, 1, (".pre-commit-config.yaml",)),
    (dockerfile_digests, 2, ("{svc}/Dockerfile.release",)),
    (chart_lock, 1, ("charts/{svc}/Chart.lock",)),
    (bazel_module, 1, ("WORKSPACE.bazel",)),
    (homebrew_formula, 1, ("packaging/homebrew/acme.rb",)),
    (sha256sums, 2, ("dist/SHA256SUMS-{n}",)),
    (oci_manifest, 1, ("images/app-manifest.json",)),
    (nginx_access, 3, ("logs/nginx/access-{n}.log",)),
    (json_logs, 5, ("logs/{svc}-{n}.jsonl",)),
    (agent_trace_clean, 6, ("traces/clean-session-{n}.jsonl",)),
    (ci_log, 2, ("logs/ci/build-{n}.log",)),
    (k8s_events, 1, ("logs/k8s-events.txt",)),
    (audit_log, 1, ("logs/audit-{n}.jsonl",)),
    (cloud_resources, 2, ("infra/{svc}/outputs-{n}.txt",)),
    (iam_policy, 1, ("infra/policies/read-secrets.json",)),
    (arm_template, 1, ("infra/azure/keyvault.json",)),
    (ipfs_and_chain, 1, ("web3/config.yaml",)),
    (jasypt, 1, ("{svc}/src/main/resources/application-enc.properties",)),
]


def path_for(g: Fake, templates: tuple[str, ...]) -> str:
    template = g.choice(templates)
    words = sorted(TRANSLATIONS) if "locale" in template or "i18n" in template else WORDS
    return template.format(
        svc=g.choice(SERVICES), user=g.choice(USERS), n=g.randint(1, 99), h=sha(g, 8), w=g.choice(words)
    )
