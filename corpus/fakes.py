"""Fake, well-formed secrets for the corpus: random values in each provider's published shape.

Nothing here was ever issued by a provider. Values come from a seeded ``random.Random`` so that the
generator writes the same corpus on every run.
"""

from __future__ import annotations

import base64
import json
import random
import string
import struct
from collections.abc import Callable
from dataclasses import dataclass

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
LETTERS = string.ascii_letters
DIGITS = string.digits
ALNUM = LETTERS + DIGITS
LOWER_ALNUM = LOWER + DIGITS
UPPER_ALNUM = UPPER + DIGITS
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = UPPER + "234567"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
PASSWORD_SYMBOLS = "!#%*+-_~^"

# Substrings that scanners treat as placeholders or test values: a planted secret never contains one,
# so that a miss is always the scanner's, never an accident of the random draw.
AMBIGUOUS = (
    "test",
    "fake",
    "mock",
    "sample",
    "example",
    "dummy",
    "lorem",
    "foo",
    "bar",
    "todo",
    "fixme",
    "xxx",
    "123",
    "abc",
    "000",
    "aaa",
    "insert",
    "invalid",
    "secret",
    "token",
    "pass",
    "key",
    "change",
    "your",
    "demo",
    "null",
    "none",
    "true",
    "false",
    "admin",
    "user",
)


def clean(value: str) -> bool:
    low = value.lower()
    return not any(word in low for word in AMBIGUOUS)


class Fake(random.Random):
    """A seeded source of random strings in the alphabets tokens use."""

    def chars(self, alphabet: str, n: int) -> str:
        while True:
            value = "".join(self.choice(alphabet) for _ in range(n))
            if clean(value):
                return value

    def raw(self, alphabet: str, n: int) -> str:
        """Random characters with no filtering (noise, where a placeholder-like run does not matter)."""
        return "".join(self.choice(alphabet) for _ in range(n))

    def alnum(self, n: int) -> str:
        return self.chars(ALNUM, n)

    def hex(self, n: int) -> str:
        return self.chars(HEX, n)

    def b64url(self, n: int) -> str:
        """URL-safe base64 characters, ending in a letter or digit as issued tokens do."""
        return self.chars(B64URL, n - 1) + self.choice(ALNUM)

    def digits(self, n: int) -> str:
        return str(self.randint(1, 9)) + "".join(self.choice(DIGITS) for _ in range(n - 1))

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.choice('89ab')}{h[17:20]}-{h[20:]}"

    def b64(self, raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    def b64url_of(self, raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def mixed(self, n: int, symbols: str = "") -> str:
        """A password-like value: upper, lower and digits (and ``symbols``), at least two of each class."""
        alphabet = ALNUM + symbols
        while True:
            value = self.chars(alphabet, n)
            classes = (UPPER, LOWER, DIGITS, symbols) if symbols else (UPPER, LOWER, DIGITS)
            if all(sum(c in cls for c in value) >= 2 for cls in classes) and value[0] in ALNUM:
                return value

    def jwt(self, claims: dict, alg: str = "HS256") -> str:
        header = self.b64url_of(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
        payload = self.b64url_of(json.dumps(claims, separators=(",", ":")).encode())
        sig_len = 43 if alg.startswith("HS") else 342
        return f"{header}.{payload}.{self.b64url(sig_len)}"


# ---------------------------------------------------------------------------------------------- key blocks


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


def _int(value: int) -> bytes:
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big")
    return _tlv(0x02, body)


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _big(g: Fake, bits: int) -> int:
    return g.getrandbits(bits) | (1 << (bits - 1)) | 1


def _pem(label: str, der: bytes, headers: str = "") -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *([headers] if headers else []), *lines, f"-----END {label}-----"])


OID_RSA = bytes.fromhex("06092a864886f70d0101010500")
OID_EC_P256 = bytes.fromhex("06082a8648ce3d030107")


def rsa_der(g: Fake, bits: int = 2048) -> bytes:
    half = bits // 2
    n, d = _big(g, bits), _big(g, bits - 1)
    p, q, dp, dq, qi = (_big(g, half) for _ in range(5))
    return _seq(_int(0), _int(n), _int(65537), _int(d), _int(p), _int(q), _int(dp), _int(dq), _int(qi))


def certificate(g: Fake) -> str:
    """A PEM certificate (public): structure-shaped DER with random contents."""
    return _pem(
        "CERTIFICATE",
        _seq(
            _seq(_tlv(0xA0, _int(2)), _int(g.getrandbits(128)), g.randbytes(g.randint(600, 900))),
            _seq(bytes.fromhex("06092a864886f70d01010b0500")),
            _tlv(0x03, b"\x00" + g.randbytes(256)),
        ),
    )


def public_key(g: Fake) -> str:
    return _pem("PUBLIC KEY", _seq(_seq(OID_RSA), _tlv(0x03, b"\x00" + _seq(_int(_big(g, 2048)), _int(65537)))))


def rsa_private_key(g: Fake) -> str:
    return _pem("RSA PRIVATE KEY", rsa_der(g))


def pkcs8_private_key(g: Fake) -> str:
    return _pem("PRIVATE KEY", _seq(_int(0), _seq(OID_RSA[:-2], b"\x05\x00"), _tlv(0x04, rsa_der(g))))


def ec_private_key(g: Fake) -> str:
    der = _seq(
        _int(1),
        _tlv(0x04, g.randbytes(32)),
        _tlv(0xA0, OID_EC_P256),
        _tlv(0xA1, _tlv(0x03, b"\x00\x04" + g.randbytes(64))),
    )
    return _pem("EC PRIVATE KEY", der)


def encrypted_private_key(g: Fake) -> str:
    pbes2 = bytes.fromhex("06092a864886f70d01050d")
    params = _seq(_seq(bytes.fromhex("06092a864886f70d01050c"), _seq(_tlv(0x04, g.randbytes(16)), _int(2048))))
    return _pem("ENCRYPTED PRIVATE KEY", _seq(_seq(pbes2, params), _tlv(0x04, g.randbytes(1232))))


def dsa_private_key(g: Fake) -> str:
    return _pem("DSA PRIVATE KEY", _seq(_int(0), *(_int(_big(g, b)) for b in (1024, 160, 1024, 1024, 160))))


def legacy_encrypted_rsa_key(g: Fake) -> str:
    headers = f"Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{g.hex(32).upper()}\n"
    return _pem("RSA PRIVATE KEY", g.randbytes(1192), headers)


def _ssh_str(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def openssh_private_key(g: Fake, comment: str) -> str:
    pub = g.randbytes(32)
    pub_blob = _ssh_str(b"ssh-ed25519") + _ssh_str(pub)
    check = g.randbytes(4)
    private = check + check + pub_blob + _ssh_str(g.randbytes(32) + pub) + _ssh_str(comment.encode())
    private += bytes(range(1, 1 + (-len(private)) % 8))
    blob = b"openssh-key-v1\0" + _ssh_str(b"none") + _ssh_str(b"none") + _ssh_str(b"") + struct.pack(">I", 1)
    blob += _ssh_str(pub_blob) + _ssh_str(private)
    body = base64.b64encode(blob).decode()
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return "\n".join(["-----BEGIN OPENSSH PRIVATE KEY-----", *lines, "-----END OPENSSH PRIVATE KEY-----"])


def pgp_private_key(g: Fake) -> str:
    body = base64.b64encode(b"\x95\x05\x86\x04" + g.randbytes(1400)).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    crc = base64.b64encode(g.randbytes(3)).decode()
    return "\n".join(
        ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", *lines, f"={crc}", "-----END PGP PRIVATE KEY BLOCK-----"]
    )


def putty_private_key(g: Fake, comment: str) -> str:
    def lines(raw: bytes) -> list[str]:
        body = base64.b64encode(raw).decode()
        return [body[i : i + 64] for i in range(0, len(body), 64)]

    public = lines(_ssh_str(b"ssh-rsa") + _ssh_str(b"\x01\x00\x01") + _ssh_str(g.randbytes(257)))
    private = lines(g.randbytes(640))
    return "\n".join(
        [
            "PuTTY-User-Key-File-3: ssh-rsa",
            "Encryption: none",
            f"Comment: {comment}",
            f"Public-Lines: {len(public)}",
            *public,
            f"Private-Lines: {len(private)}",
            *private,
            f"Private-MAC: {g.hex(64)}",
        ]
    )


def age_secret_key(g: Fake) -> str:
    return "AGE-SECRET-KEY-1" + "".join(g.choice(BECH32) for _ in range(58))


# ---------------------------------------------------------------------------------------------- providers


@dataclass(frozen=True)
class Made:
    """One planted value: what goes in the file (``text``), the secret inside it, and its key name."""

    name: str
    text: str
    secret: str
    rule: str | None = None
    decoded: str | None = None  # the secret's payload when the token is base64 (scanners may report that)


Maker = Callable[[Fake], list[Made]]


@dataclass(frozen=True)
class Provider:
    key: str  # short provider name, also used to attribute peers' rule ids to a family
    family: str
    make: Maker
    count: int = 2  # how many instances the corpus plants
    block: bool = False  # multi-line (PEM-like): goes in key files and block-capable carriers


def payload(token: str) -> str:
    """The base64 part of a token (after its ``prefix_``), decoded."""
    body = token.split("_", 1)[-1]
    return base64.b64decode(body + "=" * (-len(body) % 4)).decode()


def one(names: tuple[str, ...], body: Callable[[Fake], str], rule: str | None = None, encoded: bool = False) -> Maker:
    """A maker for a single value assigned to one of ``names`` (chosen at random).

    ``encoded``: the token is (prefix +) base64 of a payload, which the label carries as ``decoded``.
    """

    def make(g: Fake) -> list[Made]:
        value = body(g)
        return [Made(g.choice(names), value, value, rule, payload(value) if encoded else None)]

    return make


def block(body: Callable[[Fake], str], rule: str | None, name: str = "private_key") -> Maker:
    """A maker for a multi-line value (a key block)."""

    def make(g: Fake) -> list[Made]:
        value = body(g)
        return [Made(name, value, value, rule)]

    return make


def uri(names: tuple[str, ...], scheme: str, port: int, rule: str, path: str = "/app") -> Maker:
    def make(g: Fake) -> list[Made]:
        user = g.choice(["app", "svc_orders", "billing", "reporting", "api", "etl_loader", "web"])
        password = g.mixed(g.randint(16, 28), "-_~")
        host = g.choice(["db.internal", "10.0.3.17", "pg-primary.prod.svc", "cluster0.x7kqm.net", "rds-main.eu"])
        text = f"{scheme}://{user}:{password}@{host}:{port}{path}"
        return [Made(g.choice(names), text, password, rule)]

    return make


def aws_pair(g: Fake) -> list[Made]:
    key_id = "AKIA" + g.chars(BASE32, 16)
    secret = g.chars(ALNUM + "+/", 40)
    return [
        Made("AWS_ACCESS_KEY_ID", key_id, key_id, "aws-access-key-id"),
        Made("AWS_SECRET_ACCESS_KEY", secret, secret, "aws-secret-access-key"),
    ]


def aws_session(g: Fake) -> list[Made]:
    token = "IQoJb3JpZ2luX2VjE" + g.chars(B64, g.randint(380, 520)) + "=="
    return [Made("AWS_SESSION_TOKEN", token, token, "aws-session-token")]


def azure_storage(g: Fake) -> list[Made]:
    key = g.chars(B64, 86) + "=="
    account = g.choice(["prodlogs", "mediastore01", "backupsweu", "tfstateacct"])
    text = f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net"
    return [Made("AZURE_STORAGE_CONNECTION_STRING", text, key, "azure-storage-credential-pair")]


def azure_sas(g: Fake) -> list[Made]:
    sig = g.chars(ALNUM, 40) + "%2B" + g.chars(ALNUM, 3) + "%2F" + g.chars(ALNUM, 2) + "%3D"
    account = g.choice(["exportsweu", "reportsprod", "ingestdata"])
    text = (
        f"https://{account}.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl"
        f"&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig={sig}"
    )
    return [Made("AZURE_BLOB_SAS_URL", text, sig, "azure-sas-token")]


def azure_servicebus(g: Fake) -> list[Made]:
    key = g.chars(B64, 43) + "="
    text = f"Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}"
    return [Made("SERVICEBUS_CONNECTION_STRING", text, key, "azure-shared-access-key")]


def azure_devops_pat(g: Fake) -> str:
    """The 84-character identifiable format: 52 random, the JQQJ99 signature, a date-ish block, AZDO."""
    return f"{g.alnum(52)}JQQJ99{g.choice(ALNUM)}{g.choice('ABCDEFGHIJKL')}{g.alnum(16)}AZDO{g.alnum(4)}"


def azure_cosmos_key(g: Fake) -> str:
    """An identifiable Azure key: 76 random base64, the ACDb service signature, a tail ending ==."""
    return f"{g.chars(B64, 76)}ACDb{g.chars(B64, 5)}{g.choice('AQgw')}=="


def bedrock_key(g: Fake) -> str:
    body = f"BedrockAPIKey-{g.chars(LOWER_ALNUM, 4)}-at-{g.digits(12)}:{g.b64(g.randbytes(60))}"
    return "ABSK" + base64.b64encode(body.encode()).decode()


def tencent_pair(g: Fake) -> list[Made]:
    secret_id, secret_key = "AKID" + g.alnum(32), g.alnum(32)
    return [
        Made("TENCENTCLOUD_SECRET_ID", secret_id, secret_id, "tencent-cloud-secret-id"),
        Made("TENCENTCLOUD_SECRET_KEY", secret_key, secret_key, "tencent-cloud-secret-key"),
    ]


def azure_ad(g: Fake) -> str:
    return g.chars(ALNUM + "_~.", 3) + g.choice(DIGITS) + "Q~" + g.chars(ALNUM + "_~.-", 34)


def slack_webhook(g: Fake) -> str:
    return f"https://hooks.slack.com/services/T{g.chars(UPPER_ALNUM, 10)}/B{g.chars(UPPER_ALNUM, 10)}/{g.alnum(24)}"


def discord_webhook(g: Fake) -> str:
    return f"https://discord.com/api/webhooks/{g.digits(19)}/{g.b64url(68)}"


def teams_webhook(g: Fake) -> str:
    tail = f"/V2{g.b64url(44)}" if g.random() < 0.5 else ""
    return (
        f"https://acmecorp.webhook.office.com/webhookb2/{g.uuid()}@{g.uuid()}/IncomingWebhook/"
        f"{g.hex(32)}/{g.uuid()}{tail}"
    )


def twilio_pair(g: Fake) -> list[Made]:
    sid, secret = "SK" + g.hex(32), g.hex(32)
    return [
        Made("TWILIO_API_KEY", sid, sid, "twilio-api-key"),
        Made("TWILIO_API_SECRET", secret, secret, "twilio-api-secret"),
    ]


def twilio_auth(g: Fake) -> list[Made]:
    token = g.hex(32)
    return [Made("TWILIO_AUTH_TOKEN", token, token, "twilio-auth-token")]


def razorpay_secret(g: Fake) -> list[Made]:
    """The key secret (the key id, rzp_live_…, is public: checkout pages embed it)."""
    secret = g.alnum(24)
    return [Made("RAZORPAY_KEY_SECRET", secret, secret, "razorpay-key-secret")]


def alibaba_pair(g: Fake) -> list[Made]:
    key_id, secret = "LTAI" + g.alnum(20), g.alnum(30)
    return [
        Made("ALIBABA_CLOUD_ACCESS_KEY_ID", key_id, key_id, "alibaba-access-key-id"),
        Made("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret, secret, "alibaba-access-key-secret"),
    ]


def grafana_cloud(g: Fake) -> str:
    claims = {"o": g.digits(6), "n": f"stack-{g.digits(6)}-hm-read", "k": g.alnum(24), "m": {"r": "prod-eu-west-2"}}
    return "glc_" + base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode()


def sentry_org(g: Fake) -> str:
    claims = {
        "iat": g.randint(1_700_000_000, 1_760_000_000),
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": "acme",
    }
    body = base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"sntrys_{body}_{g.chars(ALNUM + '+/', 43)}"


def onepassword_service(g: Fake) -> str:
    claims = {
        "signInAddress": "acme.1password.com",
        "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": g.b64url(22)},
        "email": f"{g.chars(LOWER_ALNUM, 13)}@1passwordserviceaccounts.com",
        "srpX": g.hex(64),
        "muk": {
            "alg": "A256GCM",
            "ext": True,
            "k": g.b64url(43),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": f"A3-{g.chars(UPPER_ALNUM, 6)}-{g.chars(UPPER_ALNUM, 6)}",
        "throttleSecret": {"seed": g.hex(64), "uuid": g.chars(UPPER_ALNUM, 26)},
        "deviceUuid": g.chars(LOWER_ALNUM, 26),
    }
    return "ops_" + base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")


def onepassword_secret_key(g: Fake) -> str:
    parts = [g.chars(UPPER_ALNUM, n) for n in (6, 6, 5, 5, 5, 5)]
    return "A3-" + "-".join(parts)


def fly_token(g: Fake) -> str:
    return f"FlyV1 fm2_{g.chars(B64, 240)},fm2_{g.chars(B64, 150)}"


def intercom_token(g: Fake) -> str:
    while True:
        value = base64.b64encode(b"tok:" + g.alnum(41).encode()).decode()
        if "+" not in value and "/" not in value and clean(value):
            return value


def mapbox_secret(g: Fake) -> str:
    claims = g.b64url_of(json.dumps({"u": "acme-maps", "a": g.chars(LOWER_ALNUM, 25)}, separators=(",", ":")).encode())
    return f"sk.{claims}.{g.b64url(22)}"


def jwt_service(g: Fake) -> str:
    now = g.randint(1_735_000_000, 1_760_000_000)
    claims = {
        "sub": f"svc-{g.choice(['billing', 'orders', 'search', 'sync'])}",
        "iat": now,
        "exp": now + 31_536_000,
        "scope": "api:write",
    }
    return g.jwt(claims)


def supabase_service_role(g: Fake) -> str:
    now = g.randint(1_700_000_000, 1_740_000_000)
    return g.jwt(
        {"iss": "supabase", "ref": g.chars(LOWER, 20), "role": "service_role", "iat": now, "exp": now + 315_360_000}
    )


PROVIDERS: list[Provider] = [
    # ai
    Provider(
        "openai",
        "ai",
        one(("OPENAI_API_KEY",), lambda g: f"sk-proj-{g.b64url(74)}T3BlbkFJ{g.b64url(74)}", "openai-project-key"),
        3,
    ),
    Provider(
        "openai",
        "ai",
        one(
            ("OPENAI_API_KEY", "OPENAI_SVC_KEY"),
            lambda g: f"sk-svcacct-{g.b64url(74)}T3BlbkFJ{g.b64url(74)}",
            "openai-service-account-key",
        ),
    ),
    Provider(
        "openai",
        "ai",
        one(("OPENAI_ADMIN_KEY",), lambda g: f"sk-admin-{g.b64url(74)}T3BlbkFJ{g.b64url(74)}", "openai-admin-key"),
        1,
    ),
    Provider(
        "anthropic",
        "ai",
        one(("ANTHROPIC_API_KEY",), lambda g: f"sk-ant-api03-{g.b64url(93)}AA", "anthropic-api-key"),
        3,
    ),
    Provider(
        "anthropic",
        "ai",
        one(("ANTHROPIC_ADMIN_KEY",), lambda g: f"sk-ant-admin01-{g.b64url(93)}AA", "anthropic-admin-key"),
        1,
    ),
    Provider(
        "huggingface",
        "ai",
        one(("HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"), lambda g: "hf_" + g.chars(LETTERS, 34), "huggingface-token"),
    ),
    Provider("groq", "ai", one(("GROQ_API_KEY",), lambda g: "gsk_" + g.alnum(52), "groq-api-key")),
    Provider("replicate", "ai", one(("REPLICATE_API_TOKEN",), lambda g: "r8_" + g.alnum(37), "replicate-api-token")),
    Provider(
        "perplexity",
        "ai",
        one(("PERPLEXITY_API_KEY", "PPLX_API_KEY"), lambda g: "pplx-" + g.alnum(48), "perplexity-api-key"),
    ),
    Provider("xai", "ai", one(("XAI_API_KEY", "GROK_API_KEY"), lambda g: "xai-" + g.alnum(80), "xai-api-key")),
    Provider("cohere", "ai", one(("COHERE_API_KEY", "CO_API_KEY"), lambda g: g.alnum(40), "cohere-api-key")),
    Provider("mistral", "ai", one(("MISTRAL_API_KEY",), lambda g: g.alnum(32), "mistral-api-key")),
    Provider("deepseek", "ai", one(("DEEPSEEK_API_KEY",), lambda g: "sk-" + g.hex(32), "deepseek-api-key")),
    Provider(
        "langsmith",
        "ai",
        one(
            ("LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"),
            lambda g: f"lsv2_{g.choice(['pt', 'sk'])}_{g.hex(32)}_{g.hex(10)}",
            "langsmith-api-key",
        ),
    ),
    Provider("openrouter", "ai", one(("OPENROUTER_API_KEY",), lambda g: "sk-or-v1-" + g.hex(64), "openrouter-api-key")),
    Provider(
        "nvidia", "ai", one(("NVIDIA_API_KEY", "NGC_API_KEY"), lambda g: "nvapi-" + g.b64url(64), "nvidia-api-key")
    ),
    Provider("together", "ai", one(("TOGETHER_API_KEY",), lambda g: "tgp_v1_" + g.b64url(43), "together-api-key")),
    Provider("fireworks", "ai", one(("FIREWORKS_API_KEY",), lambda g: "fw_" + g.alnum(24), "fireworks-api-key")),
    Provider(
        "pinecone", "ai", one(("PINECONE_API_KEY",), lambda g: f"pcsk_{g.alnum(5)}_{g.alnum(63)}", "pinecone-api-key")
    ),
    Provider(
        "tavily",
        "ai",
        one(("TAVILY_API_KEY",), lambda g: g.choice(["tvly-", "tvly-dev-"]) + g.alnum(32), "tavily-api-key"),
    ),
    Provider("wandb", "ai", one(("WANDB_API_KEY",), lambda g: g.hex(40), "wandb-api-key-legacy")),
    Provider(
        "elevenlabs",
        "ai",
        one(("ELEVENLABS_API_KEY", "ELEVEN_API_KEY"), lambda g: "sk_" + g.hex(48), "elevenlabs-api-key"),
    ),
    # cloud
    Provider("aws", "cloud", aws_pair, 3),
    Provider("aws", "cloud", aws_session, 1),
    Provider(
        "gcp",
        "cloud",
        one(("GOOGLE_API_KEY", "GEMINI_API_KEY", "MAPS_API_KEY"), lambda g: "AIza" + g.b64url(35), "gcp-api-key"),
        3,
    ),
    Provider(
        "gcp",
        "cloud",
        one(
            ("GOOGLE_CLIENT_SECRET", "OAUTH_CLIENT_SECRET"),
            lambda g: "GOCSPX-" + g.b64url(28),
            "gcp-oauth-client-secret",
        ),
    ),
    Provider(
        "gcp", "cloud", one(("GOOGLE_ACCESS_TOKEN",), lambda g: "ya29.a0" + g.b64url(150), "gcp-oauth-access-token"), 1
    ),
    Provider("azure", "cloud", azure_storage),
    Provider("azure", "cloud", azure_sas),
    Provider("azure", "cloud", azure_servicebus, 1),
    Provider("azure", "cloud", one(("AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET"), azure_ad, "azure-ad-client-secret")),
    Provider(
        "digitalocean",
        "cloud",
        one(("DIGITALOCEAN_TOKEN", "DO_API_TOKEN"), lambda g: "dop_v1_" + g.hex(64), "digitalocean-token"),
    ),
    Provider("heroku", "cloud", one(("HEROKU_API_KEY",), lambda g: "HRKU-AA" + g.b64url(58), "heroku-api-key-v2")),
    Provider("heroku", "cloud", one(("HEROKU_API_KEY",), lambda g: g.uuid(), "heroku-api-key"), 1),
    Provider(
        "cloudflare",
        "cloud",
        one(("CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"), lambda g: g.b64url(40), "cloudflare-api-token"),
    ),
    Provider(
        "cloudflare",
        "cloud",
        one(("CLOUDFLARE_ORIGIN_CA_KEY",), lambda g: f"v1.0-{g.hex(24)}-{g.hex(146)}", "cloudflare-origin-ca-key"),
        1,
    ),
    Provider("alibaba", "cloud", alibaba_pair),
    Provider("aws", "cloud", one(("MWS_AUTH_TOKEN",), lambda g: "amzn.mws." + g.uuid(), "aws-mws-auth-token"), 1),
    Provider("aws", "cloud", one(("AWS_BEARER_TOKEN_BEDROCK",), bedrock_key, "aws-bedrock-api-key"), 1),
    Provider("azure", "cloud", one(("AZURE_COSMOS_KEY",), azure_cosmos_key, "azure-identifiable-key"), 1),
    Provider("azure-devops", "vcs", one(("AZURE_DEVOPS_EXT_PAT",), azure_devops_pat, "azure-devops-pat"), 1),
    Provider("tencent", "cloud", tencent_pair, 1),
    Provider("oracle", "cloud", one(("OCI_AUTH_TOKEN",), lambda g: g.mixed(20, "()<>;:.+#_-"), "oci-auth-token"), 1),
    Provider("snowflake", "hosting", one(("SNOWFLAKE_PASSWORD",), lambda g: g.mixed(20), "snowflake-credential"), 1),
    Provider("railway", "hosting", one(("RAILWAY_TOKEN",), lambda g: g.uuid(), "railway-token"), 1),
    Provider(
        "confluent",
        "hosting",
        one(("CONFLUENT_CLOUD_API_SECRET",), lambda g: g.chars(B64, 64), "confluent-api-secret"),
        1,
    ),
    Provider(
        "upstash", "hosting", one(("UPSTASH_REDIS_REST_TOKEN",), lambda g: "A" + g.b64url(87), "upstash-token"), 1
    ),
    Provider(
        "ibm", "cloud", one(("IBM_CLOUD_API_KEY", "IBMCLOUD_API_KEY"), lambda g: g.b64url(44), "ibm-cloud-api-key")
    ),
    Provider("databricks", "cloud", one(("DATABRICKS_TOKEN",), lambda g: "dapi" + g.hex(32), "databricks-token")),
    Provider(
        "mongodb-atlas",
        "cloud",
        one(
            ("MONGODB_ATLAS_CLIENT_SECRET",),
            lambda g: "mdb_sa_sk_" + g.b64url(40),
            "mongodb-atlas-service-account-secret",
        ),
        1,
    ),
    # vcs and CI
    Provider("github", "vcs", one(("GITHUB_TOKEN", "GH_TOKEN"), lambda g: "ghp_" + g.alnum(36), "github-pat"), 3),
    Provider("github", "vcs", one(("GITHUB_OAUTH_TOKEN",), lambda g: "gho_" + g.alnum(36), "github-oauth-token"), 1),
    Provider(
        "github", "vcs", one(("GITHUB_APP_TOKEN",), lambda g: "ghs_" + g.alnum(36), "github-app-installation-token"), 1
    ),
    Provider(
        "github",
        "vcs",
        one(("GITHUB_PAT", "GH_PAT"), lambda g: f"github_pat_{g.alnum(22)}_{g.alnum(59)}", "github-fine-grained-pat"),
    ),
    Provider(
        "gitlab", "vcs", one(("GITLAB_TOKEN", "CI_PUSH_TOKEN"), lambda g: "glpat-" + g.b64url(20), "gitlab-pat"), 2
    ),
    Provider(
        "gitlab", "vcs", one(("GITLAB_DEPLOY_TOKEN",), lambda g: "gldt-" + g.b64url(20), "gitlab-deploy-token"), 1
    ),
    Provider(
        "gitlab",
        "vcs",
        one(("GITLAB_TRIGGER_TOKEN",), lambda g: "glptt-" + g.hex(40), "gitlab-pipeline-trigger-token"),
        1,
    ),
    Provider(
        "bitbucket", "vcs", one(("BITBUCKET_APP_PASSWORD",), lambda g: "ATBB" + g.alnum(32), "bitbucket-app-password")
    ),
    Provider(
        "atlassian",
        "vcs",
        one(
            ("JIRA_API_TOKEN", "ATLASSIAN_API_TOKEN"),
            lambda g: f"ATATT3xFfGF0{g.b64url(180)}={g.chars('0123456789ABCDEF', 8)}",
            "atlassian-api-token",
        ),
    ),
    Provider(
        "azure-devops",
        "vcs",
        one(
            ("AZURE_DEVOPS_PAT", "AZDO_PERSONAL_ACCESS_TOKEN"),
            lambda g: g.chars("abcdefghijklmnopqrstuvwxyz234567", 52),
            "azure-devops-pat-legacy",
        ),
    ),
    Provider("gitea", "vcs", one(("GITEA_TOKEN",), lambda g: g.hex(40), "gitea-token"), 1),
    Provider(
        "sonar", "vcs", one(("SONAR_TOKEN",), lambda g: g.choice(["sqp_", "squ_", "sqa_"]) + g.hex(40), "sonar-token")
    ),
    Provider(
        "circleci",
        "vcs",
        one(("CIRCLECI_TOKEN", "CIRCLE_TOKEN"), lambda g: f"CCIPAT_{g.alnum(22)}_{g.hex(40)}", "circleci-token"),
    ),
    Provider(
        "buildkite",
        "vcs",
        one(("BUILDKITE_API_TOKEN",), lambda g: "bkua_" + g.chars(LOWER_ALNUM, 40), "buildkite-api-token"),
        1,
    ),
    # payments
    Provider(
        "stripe",
        "payments",
        one(("STRIPE_SECRET_KEY", "STRIPE_API_KEY"), lambda g: "sk_live_51" + g.alnum(97), "stripe-live-secret-key"),
        3,
    ),
    Provider(
        "stripe",
        "payments",
        one(("STRIPE_RESTRICTED_KEY",), lambda g: "rk_live_51" + g.alnum(97), "stripe-live-secret-key"),
        1,
    ),
    Provider(
        "stripe", "payments", one(("STRIPE_WEBHOOK_SECRET",), lambda g: "whsec_" + g.alnum(32), "stripe-webhook-secret")
    ),
    Provider(
        "square", "payments", one(("SQUARE_ACCESS_TOKEN",), lambda g: "EAAA" + g.b64url(60), "square-access-token")
    ),
    Provider(
        "square",
        "payments",
        one(("SQUARE_APPLICATION_SECRET",), lambda g: "sq0csp-" + g.b64url(43), "square-oauth-secret"),
        1,
    ),
    Provider(
        "braintree",
        "payments",
        one(
            ("BRAINTREE_ACCESS_TOKEN",),
            lambda g: f"access_token$production${g.chars(LOWER_ALNUM, 16)}${g.hex(32)}",
            "braintree-access-token",
        ),
    ),
    Provider(
        "paypal", "payments", one(("PAYPAL_CLIENT_SECRET",), lambda g: "E" + g.b64url(79), "paypal-client-secret")
    ),
    Provider(
        "shopify",
        "payments",
        one(("SHOPIFY_ACCESS_TOKEN", "SHOPIFY_ADMIN_TOKEN"), lambda g: "shpat_" + g.hex(32), "shopify-access-token"),
    ),
    Provider(
        "shopify", "payments", one(("SHOPIFY_API_SECRET",), lambda g: "shpss_" + g.hex(32), "shopify-shared-secret"), 1
    ),
    Provider(
        "plaid",
        "payments",
        one(("PLAID_ACCESS_TOKEN",), lambda g: "access-production-" + g.uuid(), "plaid-access-token"),
    ),
    Provider(
        "adyen",
        "payments",
        one(("ADYEN_API_KEY",), lambda g: f"AQE{g.chars(B64, 75)}=-{g.chars(B64, 43)}=", "adyen-api-key"),
    ),
    Provider("razorpay", "payments", razorpay_secret),
    Provider("coinbase", "payments", block(ec_private_key, "private-key-ec", "privateKey"), 1, block=True),
    Provider(
        "flutterwave",
        "payments",
        one(("FLW_SECRET_KEY",), lambda g: f"FLWSECK-{g.hex(32)}-X", "flutterwave-secret-key"),
        1,
    ),
    # comms
    Provider("twilio", "comms", twilio_pair),
    Provider("twilio", "comms", twilio_auth),
    Provider(
        "sendgrid",
        "comms",
        one(("SENDGRID_API_KEY",), lambda g: f"SG.{g.b64url(22)}.{g.b64url(43)}", "sendgrid-api-key"),
        3,
    ),
    Provider("mailgun", "comms", one(("MAILGUN_API_KEY",), lambda g: "key-" + g.hex(32), "mailgun-api-key")),
    Provider(
        "mailchimp",
        "comms",
        one(("MAILCHIMP_API_KEY",), lambda g: f"{g.hex(32)}-us{g.randint(2, 21)}", "mailchimp-api-key"),
    ),
    Provider(
        "postmark",
        "comms",
        one(("POSTMARK_SERVER_TOKEN", "POSTMARK_API_TOKEN"), lambda g: g.uuid(), "postmark-server-token"),
    ),
    Provider(
        "brevo",
        "comms",
        one(("BREVO_API_KEY", "SENDINBLUE_API_KEY"), lambda g: f"xkeysib-{g.hex(64)}-{g.alnum(16)}", "brevo-api-key"),
    ),
    Provider(
        "vonage", "comms", one(("VONAGE_API_SECRET", "NEXMO_API_SECRET"), lambda g: g.mixed(16), "vonage-api-secret"), 1
    ),
    Provider(
        "resend",
        "comms",
        one(("RESEND_API_KEY",), lambda g: f"re_{g.chars(BASE58, 8)}_{g.chars(BASE58, 24)}", "resend-api-key"),
    ),
    # chat
    Provider(
        "slack",
        "chat",
        one(("SLACK_BOT_TOKEN",), lambda g: f"xoxb-{g.digits(12)}-{g.digits(13)}-{g.alnum(24)}", "slack-bot-token"),
        3,
    ),
    Provider(
        "slack",
        "chat",
        one(
            ("SLACK_USER_TOKEN",),
            lambda g: f"xoxp-{g.digits(12)}-{g.digits(12)}-{g.digits(13)}-{g.hex(32)}",
            "slack-user-token",
        ),
        1,
    ),
    Provider(
        "slack",
        "chat",
        one(
            ("SLACK_APP_TOKEN",),
            lambda g: f"xapp-1-A{g.chars(UPPER_ALNUM, 10)}-{g.digits(13)}-{g.hex(64)}",
            "slack-app-token",
        ),
        1,
    ),
    Provider("slack", "chat", one(("SLACK_WEBHOOK_URL",), slack_webhook, "slack-webhook-url"), 3),
    Provider(
        "discord",
        "chat",
        one(
            ("DISCORD_BOT_TOKEN", "DISCORD_TOKEN"),
            lambda g: f"{g.choice('MNO')}{g.b64url(25)}.{g.b64url(6)}.{g.b64url(38)}",
            "discord-bot-token",
        ),
    ),
    Provider("discord", "chat", one(("DISCORD_WEBHOOK_URL",), discord_webhook, "discord-webhook-url")),
    Provider(
        "telegram",
        "chat",
        one(("TELEGRAM_BOT_TOKEN",), lambda g: f"{g.digits(10)}:AA{g.b64url(33)}", "telegram-bot-token"),
    ),
    Provider("teams", "chat", one(("TEAMS_WEBHOOK_URL",), teams_webhook, "microsoft-teams-webhook-url")),
    # databases
    Provider(
        "postgres", "databases", uri(("DATABASE_URL", "POSTGRES_DSN"), "postgres", 5432, "postgres-uri-password"), 3
    ),
    Provider(
        "postgres",
        "databases",
        uri(("SQLALCHEMY_DATABASE_URI",), "postgresql+psycopg2", 5432, "postgres-uri-password"),
        1,
    ),
    Provider("mysql", "databases", uri(("MYSQL_URL", "DATABASE_URL"), "mysql", 3306, "mysql-uri-password")),
    Provider(
        "mongodb",
        "databases",
        uri(("MONGODB_URI", "MONGO_URL"), "mongodb", 27017, "mongodb-uri-password", "/orders?authSource=admin"),
    ),
    Provider("redis", "databases", uri(("REDIS_URL", "CACHE_URL"), "redis", 6379, "redis-uri-password", "/0")),
    Provider("amqp", "databases", uri(("AMQP_URL", "BROKER_URL"), "amqp", 5672, "amqp-uri-password", "/vhost")),
    # package registries, infrastructure tools, secret managers
    Provider("npm", "packages", one(("NPM_TOKEN",), lambda g: "npm_" + g.alnum(36), "npm-access-token")),
    Provider(
        "pypi",
        "packages",
        one(
            ("PYPI_API_TOKEN", "TWINE_PASSWORD"), lambda g: "pypi-AgEIcHlwaS5vcmc" + g.b64url(160), "pypi-upload-token"
        ),
    ),
    Provider(
        "dockerhub",
        "packages",
        one(("DOCKERHUB_TOKEN", "DOCKER_PASSWORD"), lambda g: "dckr_pat_" + g.b64url(27), "dockerhub-access-token"),
    ),
    Provider("rubygems", "packages", one(("GEM_HOST_API_KEY",), lambda g: "rubygems_" + g.hex(48), "rubygems-api-key")),
    Provider("nuget", "packages", one(("NUGET_API_KEY",), lambda g: "oy2" + g.chars(LOWER_ALNUM, 43), "nuget-api-key")),
    Provider("crates", "packages", one(("CARGO_REGISTRY_TOKEN",), lambda g: "cio" + g.alnum(32), "crates-io-token")),
    Provider(
        "artifactory",
        "packages",
        one(("ARTIFACTORY_API_KEY",), lambda g: "AKCp" + g.alnum(69), "artifactory-api-key"),
        1,
    ),
    Provider(
        "terraform",
        "packages",
        one(("TF_API_TOKEN", "TFE_TOKEN"), lambda g: f"{g.alnum(14)}.atlasv1.{g.b64url(67)}", "terraform-cloud-token"),
    ),
    Provider(
        "vault",
        "packages",
        one(("VAULT_TOKEN",), lambda g: "hvs." + g.b64url(g.randint(90, 110)), "vault-service-token"),
    ),
    Provider("pulumi", "packages", one(("PULUMI_ACCESS_TOKEN",), lambda g: "pul-" + g.hex(40), "pulumi-access-token")),
    Provider("doppler", "packages", one(("DOPPLER_TOKEN",), lambda g: "dp.pt." + g.alnum(43), "doppler-token")),
    Provider("doppler", "packages", one(("DOPPLER_TOKEN",), lambda g: "dp.st.prd." + g.alnum(40), "doppler-token"), 1),
    Provider(
        "1password",
        "packages",
        one(("OP_SERVICE_ACCOUNT_TOKEN",), onepassword_service, "onepassword-service-account-token", encoded=True),
    ),
    Provider("1password", "packages", one(("OP_SECRET_KEY",), onepassword_secret_key, "onepassword-secret-key"), 1),
    # observability
    Provider(
        "datadog", "observability", one(("DATADOG_API_KEY", "DD_API_KEY"), lambda g: g.hex(32), "datadog-api-key"), 3
    ),
    Provider(
        "datadog",
        "observability",
        one(("DATADOG_APP_KEY", "DD_APP_KEY"), lambda g: g.hex(40), "datadog-application-key"),
    ),
    Provider(
        "newrelic",
        "observability",
        one(("NEW_RELIC_API_KEY",), lambda g: "NRAK-" + g.chars(UPPER_ALNUM, 27), "new-relic-user-api-key"),
    ),
    Provider(
        "newrelic",
        "observability",
        one(("NEW_RELIC_LICENSE_KEY",), lambda g: g.hex(36) + "NRAL", "new-relic-license-key"),
    ),
    Provider(
        "sentry", "observability", one(("SENTRY_AUTH_TOKEN",), lambda g: "sntryu_" + g.hex(64), "sentry-user-token")
    ),
    Provider("sentry", "observability", one(("SENTRY_AUTH_TOKEN",), sentry_org, "sentry-org-token"), 1),
    Provider(
        "grafana",
        "observability",
        one(
            ("GRAFANA_SERVICE_ACCOUNT_TOKEN", "GRAFANA_TOKEN"),
            lambda g: f"glsa_{g.alnum(32)}_{g.hex(8)}",
            "grafana-service-account-token",
        ),
    ),
    Provider(
        "grafana", "observability", one(("GRAFANA_CLOUD_TOKEN",), grafana_cloud, "grafana-cloud-token", encoded=True), 1
    ),
    Provider(
        "honeycomb",
        "observability",
        one(("HONEYCOMB_API_KEY",), lambda g: "hcaik_" + g.chars(LOWER_ALNUM, 58), "honeycomb-ingest-key"),
    ),
    Provider(
        "dynatrace",
        "observability",
        one(
            ("DT_API_TOKEN", "DYNATRACE_API_TOKEN"),
            lambda g: f"dt0c01.{g.chars(UPPER_ALNUM, 24)}.{g.chars(UPPER_ALNUM, 64)}",
            "dynatrace-api-token",
        ),
    ),
    Provider("splunk", "observability", one(("SPLUNK_HEC_TOKEN",), lambda g: g.uuid(), "splunk-hec-token")),
    # SaaS
    Provider("linear", "saas", one(("LINEAR_API_KEY",), lambda g: "lin_api_" + g.alnum(40), "linear-api-key")),
    Provider(
        "notion",
        "saas",
        one(("NOTION_TOKEN", "NOTION_API_KEY"), lambda g: "ntn_" + g.digits(11) + g.alnum(35), "notion-api-token"),
    ),
    Provider(
        "notion", "saas", one(("NOTION_TOKEN",), lambda g: "secret_" + g.alnum(43), "notion-integration-secret"), 1
    ),
    Provider(
        "figma",
        "saas",
        one(("FIGMA_TOKEN", "FIGMA_ACCESS_TOKEN"), lambda g: "figd_" + g.b64url(40), "figma-personal-access-token"),
    ),
    Provider(
        "hubspot",
        "saas",
        one(
            ("HUBSPOT_ACCESS_TOKEN", "HUBSPOT_PRIVATE_APP_TOKEN"),
            lambda g: f"pat-{g.choice(['na1', 'eu1'])}-{g.uuid()}",
            "hubspot-private-app-token",
        ),
    ),
    Provider(
        "okta", "saas", one(("OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN"), lambda g: "00" + g.b64url(40), "okta-api-token")
    ),
    Provider(
        "airtable",
        "saas",
        one(
            ("AIRTABLE_API_KEY", "AIRTABLE_TOKEN"),
            lambda g: f"pat{g.alnum(14)}.{g.hex(64)}",
            "airtable-personal-access-token",
        ),
    ),
    Provider(
        "asana",
        "saas",
        one(
            ("ASANA_ACCESS_TOKEN",),
            lambda g: f"2/{g.digits(16)}/{g.digits(16)}:{g.hex(32)}",
            "asana-personal-access-token",
        ),
    ),
    Provider(
        "dropbox", "saas", one(("DROPBOX_ACCESS_TOKEN",), lambda g: "sl." + g.b64url(135), "dropbox-short-lived-token")
    ),
    Provider("zendesk", "saas", one(("ZENDESK_API_TOKEN",), lambda g: g.alnum(40), "zendesk-api-token")),
    Provider(
        "intercom", "saas", one(("INTERCOM_ACCESS_TOKEN",), intercom_token, "intercom-access-token", encoded=True)
    ),
    Provider("auth0", "saas", one(("AUTH0_CLIENT_SECRET",), lambda g: g.b64url(64), "auth0-client-secret")),
    Provider(
        "postman", "saas", one(("POSTMAN_API_KEY",), lambda g: f"PMAK-{g.hex(24)}-{g.hex(34)}", "postman-api-key"), 1
    ),
    Provider(
        "launchdarkly", "saas", one(("LAUNCHDARKLY_SDK_KEY",), lambda g: "sdk-" + g.uuid(), "launchdarkly-key"), 1
    ),
    Provider("mapbox", "saas", one(("MAPBOX_SECRET_TOKEN",), mapbox_secret, "mapbox-secret-token"), 1),
    # hosting and managed databases
    Provider("flyio", "hosting", one(("FLY_API_TOKEN",), fly_token, "flyio-macaroon-token")),
    Provider("flyio", "hosting", one(("FLY_ACCESS_TOKEN",), lambda g: "fo1_" + g.b64url(43), "flyio-access-token"), 1),
    Provider("vercel", "hosting", one(("VERCEL_TOKEN",), lambda g: "vcp_" + g.b64url(56), "vercel-access-token")),
    Provider("vercel", "hosting", one(("VERCEL_TOKEN",), lambda g: g.alnum(24), "vercel-token-legacy"), 1),
    Provider(
        "netlify", "hosting", one(("NETLIFY_AUTH_TOKEN",), lambda g: "nfp_" + g.alnum(36), "netlify-access-token")
    ),
    Provider(
        "supabase", "hosting", one(("SUPABASE_ACCESS_TOKEN",), lambda g: "sbp_" + g.hex(40), "supabase-access-token")
    ),
    Provider(
        "supabase",
        "hosting",
        one(("SUPABASE_SECRET_KEY",), lambda g: "sb_secret_" + g.b64url(31), "supabase-secret-key"),
    ),
    Provider(
        "supabase",
        "hosting",
        one(("SUPABASE_SERVICE_ROLE_KEY",), supabase_service_role, "supabase-service-role-jwt"),
        1,
    ),
    Provider(
        "planetscale",
        "hosting",
        one(("PLANETSCALE_SERVICE_TOKEN", "PSCALE_TOKEN"), lambda g: "pscale_tkn_" + g.b64url(43), "planetscale-token"),
    ),
    Provider(
        "planetscale",
        "hosting",
        one(("DATABASE_PASSWORD",), lambda g: "pscale_pw_" + g.b64url(43), "planetscale-token"),
    ),
    Provider("neon", "hosting", one(("NEON_API_KEY",), lambda g: "napi_" + g.chars(LOWER_ALNUM, 64), "neon-api-key")),
    Provider("render", "hosting", one(("RENDER_API_KEY",), lambda g: "rnd_" + g.alnum(28), "render-api-key"), 1),
    # keys and tokens that carry their own structure
    Provider("rsa", "keys", block(rsa_private_key, "private-key-rsa"), 4, block=True),
    Provider("rsa", "keys", block(legacy_encrypted_rsa_key, "private-key-rsa"), 1, block=True),
    Provider("ec", "keys", block(ec_private_key, "private-key-ec"), 3, block=True),
    Provider("pkcs8", "keys", block(pkcs8_private_key, "private-key-pkcs8"), 3, block=True),
    Provider("pkcs8", "keys", block(encrypted_private_key, "private-key-pkcs8-encrypted"), 1, block=True),
    Provider("dsa", "keys", block(dsa_private_key, "private-key-dsa"), 1, block=True),
    Provider(
        "openssh", "keys", block(lambda g: openssh_private_key(g, "deploy@ci"), "private-key-openssh"), 3, block=True
    ),
    Provider("pgp", "keys", block(pgp_private_key, "pgp-private-key-block"), 2, block=True),
    Provider(
        "putty", "keys", block(lambda g: putty_private_key(g, "rsa-key-20250114"), "putty-private-key"), 2, block=True
    ),
    Provider("age", "keys", one(("SOPS_AGE_KEY", "AGE_SECRET_KEY"), age_secret_key, "age-secret-key")),
    Provider("jwt", "keys", one(("SERVICE_JWT", "API_BEARER_JWT"), jwt_service, "jwt")),
]
