"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'search password created', "2dcb6d8c5fabd5212e8d519ce83dca51d83db43361c3c00ef616b9b6376d0d35", "9d310e84e53e65b7d89555da31923676"),
    (b'created total title', "5123a5fffb09f7e68358abe54d80f5d2bde531e5def2a710e73823e13ae80099", "7b23fb20ccc86caf596f9f01f1b58f57"),
    (b'deleted warning country', "b5413f69ad826ba3192eb31e4ab9d091017d79d9a67e065d78759135f57415ec", "f0a1d1170cb01498f4b114ee0e6738d2"),
    (b'page confirm order', "e8aa8258eb599e1b9f9325c97a810c0446449ad12467493f3c66c6a17677e4f7", "232bd94074b4e25676f7efd6ffbdc97e"),
    (b'payment value cache', "d77211c94a0c81ccadede1582ff476c7cb86db3204c00df323c22d08a2ed7464", "1043a43aee56007693007a761c53475d"),
    (b'warning country amount', "17b49afdb515f4965ee6ab4a35d626be3cb2a72d6c292fa99d8b2c1cb1018cd7", "58930222b25829c0af3fc9fdba8f9f49"),
    (b'country password region', "091ba7097e2f74ad876f8a3fb18fb969c27fc94ec7d3b72a93c44519ec93fdc0", "b855bab1ddac988012123845821616a7"),
    (b'title address sort', "fece7a4ec0af76b4dfdf43665e63c4d09f46b932eb6c7cd3a395badd7423e90b", "258bd5c11729b2ff0417ae60dd66b496"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
