"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'submit invoice secret', "d47392480406c44037053b28619a7b58fb172298ede7de5dd6db21373a6efcd5", "38de60bff61ffcfc632e4838ea60837c"),
    (b'cancel profile message', "8add9c6a6f56dd2368d7454fb15fab321b6837c960344b631dad0d34e0198ab3", "296f129ebdb276a3aed44c875866fc08"),
    (b'warning profile created', "f496f65be348597a70d27b265984e64ee4fa8890471b53fb3b2e4ea7e7a1a2aa", "ebe1d8ed4ec89030238ea64f7ace6f14"),
    (b'report error search', "67ae4df594de54fa0ad3a36f2e649149bd838f4aae13457fed0c77c88d36c37b", "fc6a953f91cd2ab240e8d2e9a75cccee"),
    (b'key status country', "88459f1c665881f40824ef34d6232710ecbc8309dbc7bc0f5b89d256e3f96e7d", "f132ff5c0ec77db15c99e2b4aeee13e7"),
    (b'session sort total', "f50dfe6c49d0a7b94e74410e847d814ff8027bb7cef0c2903148688693a1667f", "125bd0e15e6f614c76be97415485e171"),
    (b'order field value', "033d1ef7fdfcb41c4797f949901c1883ff5f4e39a1625ecfbaa03b210039e1fe", "ba2f7f157d156bfdb4705eccea77dbe5"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
