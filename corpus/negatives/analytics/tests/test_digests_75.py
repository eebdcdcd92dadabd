"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'warning order session', "d65d12f015d0bbe265f1f5cc71c7c90821d76f10531dd651f508b6ed7dfeb003", "8e2ff1ed1e11ddc3f1f7819fe9769074"),
    (b'notice import order', "8ac7858ea48b5db944d35c326bdff91e4942d59c3f9423bc5750156ce184cdab", "026fd47428185ca7fd74f3713eeceaf1"),
    (b'profile secret backoff', "f2a911e26aeb1311f4fb8710a1f86f2b2d5d52646b46c70c5c05741a4712cbc5", "62ed5a2f708973f583292af9b2d449ea"),
    (b'reset key token', "2acd38234d2b0184b1f3fe9f0d29fdad5c3f0ef647b596b0db7a4b7aae05cf90", "be07cee88c9598153068e460db802435"),
    (b'submit notice retry', "7f0f37fb23bd99b8f8134b83fcadbc97d988cad18636cfe4328a470b4351296d", "6d13882ef3160c921bdd6281572b8476"),
    (b'export updated payment', "8c94a448e31bdabae9464fa27e2cdd7901dfb6840ac04ec2b32bb76bba575a2a", "143a27b26d80c6765ae7bebc4841203c"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
