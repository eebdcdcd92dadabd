"""The word filter: identifiers made of dictionary words are names; random keys and passwords are not."""

import pytest

from scanner.words import looks_like_name


@pytest.mark.parametrize("value", [
    "getUserPasswordHash", "my_secret_key_name", "passwordResetTokenV2", "primaryStorageAccountKey01",
    "loginFormPasswordInput2", "HTTPSConnectionPoolSize", "config.auth.tokenUrl", "api/v2/users/resetPassword",
    "PKCS7PrivateKeyTypes",
    # paths of names, and letters in one case with no digit
    "self.token_store.get", "settings.OPENAI_API_KEY", "application/json", "np.float64", "com.example.MyService",
    "kubeConfigPathEnv", "loadbalancerconfig",
])
def test_names(value):
    assert looks_like_name(value)


@pytest.mark.parametrize("value", [
    "q8ZkT3vNw1XbR7yLmP2a", "Xk9vQ2mT7pLw4Zr8", "d41d8cd98f00b204e9800998ecf8427e", "sPRI5AxEd1TNbq",
    "IaOK1Te5IFdTuJ77Ip1ZLM1m", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "Summer2024!Secret",  # a human password: punctuation no identifier has
    "password1",  # one word: left to the entropy and placeholder checks
    "resetTokenQz9Kw",  # letters outside words: more than a version tag
    "VrRZPBqhVzvFqoc6mMhxMFMsOlIlqA7nm",  # capitalised "words" by chance (Bqh Vzv Fqoc) are not words
    # a dotted value with a part in random mixed case is a password, digits or not
    "V8f7FBpwJOJASv.JumeU", "MsqSBTGkkGmaon.bKMsF", "lmHZgbk8Hj7PAT.Wcr6s", "MsqSBTGkkGmaonbKMsF",
])
def test_not_names(value):
    assert not looks_like_name(value)
