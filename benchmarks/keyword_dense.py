"""Keyword-dense benchmark inputs: an application log (JSON lines) and a source tree.

Words such as ``token``, ``password``, ``session``, ``secret``, ``auth`` and ``key`` are common,
as in real services, but their values are ids, counters, hashes or ``***``. A known number of
well-formed fake secrets (seeded RNG) is planted, listed in a JSON manifest (file, line, kind, value).

    python benchmarks/keyword_dense.py log --size 30MB --out benchmarks/.work/kd.jsonl
    python benchmarks/keyword_dense.py tree --size 100MB --out benchmarks/.work/kd-tree
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
from collections.abc import Callable, Iterator
from pathlib import Path

PLANT_EVERY = 300_000  # bytes of text per planted secret
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
PUNCT_PASSWORD = ALNUM + ".!#%-_@"


def _s(rng: random.Random, chars: str, n: int) -> str:
    return "".join(rng.choices(chars, k=n))


def _jwt(rng: random.Random) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    head = part({"alg": "HS256", "typ": "JWT"})
    body = part({"sub": str(rng.randrange(10**8)), "iat": 1733400000 + rng.randrange(10**6)})
    return f"{head}.{body}.{_s(rng, ALNUM + '-_', 43)}"


FAKES: dict[str, Callable[[random.Random], str]] = {
    "github-pat": lambda r: "ghp_" + _s(r, ALNUM, 36),
    "aws-access-key": lambda r: "AKIA" + _s(r, string.ascii_uppercase + "234567", 16),
    "openai-key": lambda r: "sk-proj-" + _s(r, ALNUM + "-_", 48) + "T3BlbkFJ" + _s(r, ALNUM + "-_", 48),
    "password": lambda r: _s(r, PUNCT_PASSWORD, 10) + "." + _s(r, PUNCT_PASSWORD, 8),
    "jwt": _jwt,
}

# How a fake is written into a log message or a source line, by kind.
LOG_PLANT = {
    "github-pat": "git clone failed for https://x-access-token:{v}@github.com/acme/infra.git",
    "aws-access-key": "boto3 client created aws_access_key_id={v} region=eu-west-1",
    "openai-key": "llm client init OPENAI_API_KEY={v}",
    "password": "db connect retry dsn=postgres://app:{v}@db-1.internal:5432/orders",
    "jwt": "upstream call headers={{'Authorization': 'Bearer {v}'}}",
}
SRC_PLANT = {
    "github-pat": 'GITHUB_TOKEN = "{v}"',
    "aws-access-key": 'AWS_ACCESS_KEY_ID = "{v}"',
    "openai-key": 'OPENAI_API_KEY = "{v}"',
    "password": 'DB_PASSWORD = "{v}"',
    "jwt": 'SERVICE_TOKEN = "{v}"',
}

SERVICES = ["auth-api", "gateway", "billing", "orders", "agent-runner", "notifier", "search"]
USERS = ["alice", "bob", "carol", "dmitri", "eun-ji", "farah", "gustavo", "svc-backup"]
PATHS = [
    "/api/v1/sessions/{id}",
    "/api/v1/auth/token",
    "/api/v1/users/{id}/password",
    "/oauth/token",
    "/api/v1/secrets/{id}",
    "/api/v1/keys/{id}/rotate",
    "/healthz",
    "/api/v1/orders/{id}",
]
MODELS = ["gpt-4o-mini", "claude-3-5-sonnet", "llama-3.1-70b", "mistral-large"]
TOOLS = ["search_docs", "read_file", "run_sql", "get_secret_metadata", "send_email"]
TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/auth/session.py", line {a}, in refresh_token\n'
    "    token = self.token_store.get(session_id)\n"
    '  File "/srv/app/auth/store.py", line {b}, in get\n'
    '    raise TokenExpired(f"token for session {{session_id}} expired")\n'
    "auth.errors.TokenExpired: token for session {sid} expired"
)


def _log_message(rng: random.Random) -> tuple[str, str]:
    """One (level, message) pair of ordinary, secret-free log text."""
    sid = _s(rng, HEX, 32)
    user = rng.choice(USERS)
    k = rng.randrange(12)
    if k < 3:
        path = rng.choice(PATHS).format(id=_s(rng, HEX, 12))
        method = rng.choice(["GET", "GET", "POST", "DELETE"])
        status = rng.choice([200, 200, 200, 201, 401, 403, 404, 500])
        return "INFO", (
            f"{method} {path} {status} {rng.randrange(1, 900)}ms session_id={sid} "
            f"auth=bearer token_type=access Authorization: Bearer ***"
        )
    if k == 3:
        return "INFO", f"auth.login succeeded user={user} session_id={sid} mfa=totp auth_method=password"
    if k == 4:
        return "INFO", (
            f"token refreshed expires_in=3600 token_id=tok_{_s(rng, HEX, 16)} refresh_token=*** session={sid[:16]}"
        )
    if k == 5:
        return "WARNING", (
            f"password reset requested for {user}@example.com reset_token_sent=true "
            f"password_policy=v3 failed_password_attempts={rng.randrange(6)}"
        )
    if k == 6:
        p, c = rng.randrange(50, 8000), rng.randrange(10, 2000)
        usage = json.dumps({"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c})
        return "INFO", (
            f"llm request model={rng.choice(MODELS)} max_tokens={rng.choice([256, 1024, 4096])} "
            f"token_count={p} usage={usage} api_key_id=key_{_s(rng, HEX, 8)}"
        )
    if k == 7:
        return "INFO", (
            f"tool_call name={rng.choice(TOOLS)} session_id={sid} "
            f"args={{'secret_name': 'prod/db/password', 'max_tokens': 512}} tokens_used={rng.randrange(9000)}"
        )
    if k == 8:
        return "DEBUG", (
            f"SELECT id, password_hash, api_key_id, session_token_hash FROM users "
            f"WHERE id = {rng.randrange(10**6)} AND auth_provider = 'password' "
            f"-- password_hash=sha256:{_s(rng, HEX, 16)}…"
        )
    if k == 9:
        return "ERROR", TRACEBACK.format(a=rng.randrange(20, 400), b=rng.randrange(20, 400), sid=sid)
    if k == 10:
        return "INFO", (
            f"secret_name=projects/acme/secrets/{rng.choice(['db-password', 'stripe-key', 'jwt-signing-key'])}"
            f"/versions/{rng.randrange(1, 30)} fetched by secret_manager key_version={rng.randrange(9)}"
        )
    return (
        "INFO",
        f"session {sid} closed user={user} tokens_issued={rng.randrange(5)} "
        f"keys_rotated=0 auth_events={rng.randrange(40)}",
    )


def _fake(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(sorted(FAKES))
    return kind, FAKES[kind](rng)


def _log_line(rng: random.Random, n: int, msg: str | None = None) -> str:
    level, text = _log_message(rng)
    rec = {
        "ts": f"2026-12-05T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000:03d}Z",
        "level": level,
        "service": rng.choice(SERVICES),
        "trace_id": _s(rng, HEX, 16),
        "msg": msg or text,
    }
    return json.dumps(rec) + "\n"


def generate_log(out: Path, size: int, seed: int = 12) -> Path:
    """Write a JSON-lines log of about ``size`` bytes to ``out`` and its manifest beside it.

    Ordinary lines are drawn from a seeded pool of 20 000 distinct lines (fast); one fake is planted per
    ``PLANT_EVERY`` bytes.
    """
    rng = random.Random(seed)
    pool = [_log_line(rng, n) for n in range(20_000)]
    per_block = max(1, PLANT_EVERY * len(pool) // sum(map(len, pool)))
    manifest: list[dict[str, object]] = []
    written, lineno = 0, 0
    with out.open("w") as fh:
        while written < size:
            block = "".join(rng.choices(pool, k=per_block))
            kind, value = _fake(rng)
            planted = _log_line(rng, lineno, LOG_PLANT[kind].format(v=value))
            lineno += per_block + 1
            manifest.append({"file": out.name, "line": lineno, "kind": kind, "value": value})
            fh.write(block + planted)
            written += len(block) + len(planted)
    out.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=1))
    return out


SRC_LINES = {
    "py": [
        "    token = self.token_store.get(session_id)",
        "    password: str = Field(..., min_length=12)",
        "    self.token_count += usage.total_tokens",
        "TOKEN_EXPIRY = 3600",
        "    secret = secret_manager.get_secret(name)",
        "    if not check_password(user, get_password()):",
        "    access_token, refresh_token = auth.issue(user, scopes=scopes)",
        "def rotate_api_key(key_id: str) -> None:",
    ],
    "js": [
        "  const accessToken = await auth.getToken(sessionId);",
        "  const passwordField = form.password.value;",
        "  this.tokenCount += resp.usage.total_tokens;",
        "export const TOKEN_EXPIRY = 3600;",
    ],
    "go": [
        "\ttoken, err := store.Token(ctx, sessionID)",
        "\tpasswordHash := hashPassword(req.Password)",
        "\tsecret, err := secrets.Get(ctx, secretName)",
        "const TokenExpiry = 3600",
    ],
    "java": [
        "    String token = tokenService.issue(session.getId());",
        "    private String passwordField;",
        "    int tokenCount = usage.getTotalTokens();",
        "    Secret secret = secretManager.getSecret(name);",
    ],
    "yaml": [
        "  password: ${DB_PASSWORD}",
        "  token_expiry: 3600",
        "  secret_name: prod/db/password",
        "  auth_token_header: Authorization",
    ],
    "env": ["DB_PASSWORD=changeme", "SESSION_SECRET=${SESSION_SECRET}", "TOKEN_EXPIRY=3600", "API_KEY="],
}


def _source_file(rng: random.Random, ext: str, lines: int) -> Iterator[str]:
    for _ in range(lines):
        yield rng.choice(SRC_LINES[ext])


def generate_tree(out: Path, size: int, seed: int = 12) -> Path:
    """Write a source tree of about ``size`` bytes under ``out`` and ``out``/../<name>.manifest.json."""
    rng = random.Random(seed)
    manifest: list[dict[str, object]] = []
    written, next_plant, n = 0, PLANT_EVERY // 2, 0
    while written < size:
        ext = rng.choice(sorted(SRC_LINES))
        path = out / f"pkg{n % 97}" / f"mod_{n}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = list(_source_file(rng, ext, rng.randrange(50, 400)))
        if written >= next_plant:
            kind, value = _fake(rng)
            at = rng.randrange(len(lines))
            lines[at] = SRC_PLANT[kind].format(v=value)
            manifest.append({"file": str(path.relative_to(out)), "line": at + 1, "kind": kind, "value": value})
            next_plant += PLANT_EVERY
        text = "\n".join(lines) + "\n"
        path.write_text(text)
        written += len(text)
        n += 1
    out.with_name(out.name + ".manifest.json").write_text(json.dumps(manifest, indent=1))
    return out


def parse_size(text: str) -> int:
    """``200MB`` / ``30mb`` / ``1GB`` / plain bytes to bytes."""
    t = text.strip().upper()
    for unit, mult in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if t.endswith(unit):
            return int(float(t[: -len(unit)]) * mult)
    return int(t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["log", "tree"])
    parser.add_argument("--size", type=parse_size, default=None, help="default 200MB (log), 100MB (tree)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if args.mode == "log":
        generate_log(args.out, args.size or 200 * 10**6, args.seed)
    else:
        generate_tree(args.out, args.size or 100 * 10**6, args.seed)


if __name__ == "__main__":
    main()
