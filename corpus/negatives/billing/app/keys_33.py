import secrets
import string


def new_api_key() -> str:
    return 'ak_' + secrets.token_urlsafe(32)


def new_password(length: int = 20) -> str:
    alphabet = string.ascii_letters + string.digits
    return ''.join(secrets.choice(alphabet) for _ in range(length))


secret = os.urandom(32)
token = secrets.token_hex(16)
password = new_password()
