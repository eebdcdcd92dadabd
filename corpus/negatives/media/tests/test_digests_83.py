"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'customer notice account', "8eab14fc995db13e00896bba810723b50958f915cc17f3c5e392d5c3980ba1f7", "06421e4d582a605b9093985979721b07"),
    (b'token label refund', "765cea2b1e7b3f15f08227a5da9f1c60a3d7168c9563709d3b18fc67c1c128a4", "46bd43eff1c0241136041fc4b8419249"),
    (b'message reset field', "3baa469d3835d69f83021126fa32f4749dd73831c6cb5115008e654187625a9a", "a757117a141acb46f19733bc14421e0d"),
    (b'refund worker user', "8c3a9261e0690581f32074114ac57438257da1c9205f2da62d5366fc9db74d2e", "c63849bdeb8d5ff1ff66762b3126f2e8"),
    (b'page field message', "225a9433c75a1ea30a56b512c91f64cb71d92aca7788a16faee74ef7ccefadb8", "7ce50da059912935d5a0af2df1d62577"),
    (b'account country invoice', "59c59b9ccf76fec70ff54117ce2089ec02f88b9c6f42a7e32070212cad798bfb", "94dbf0b71bbf21fde8abc519142d11ae"),
    (b'label export invoice', "bad32def15f25ca81d2e2ef0cfd6ccb25474cfebea9600b44f1a805e53c69990", "7e7a2853ef381530b017ea02ce37d242"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
