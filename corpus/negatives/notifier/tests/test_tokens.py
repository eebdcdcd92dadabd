import secrets

from app.tokens import issue_reset_token, verify_reset_token


def test_reset_token_roundtrip(user):
    token = issue_reset_token(user, ttl=3600)
    assert verify_reset_token(token) == user.id


def test_tokens_are_unique():
    assert secrets.token_urlsafe(32) != secrets.token_urlsafe(32)


def test_rejects_tampered(user):
    token = issue_reset_token(user, ttl=60)
    assert verify_reset_token(token + "x") is None


PASSWORD_RESET_TOKEN_TTL = 86400
TEST_PASSWORD = "correct horse battery staple"
