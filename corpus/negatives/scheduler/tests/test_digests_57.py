"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'amount limit search', "9ac8af54c39db52373d837ce97ba3522dd18a670609e6c9f3ac9e03aefe6513a", "ea2c9a831c611087c2203de5bae3e233"),
    (b'customer password currency', "55e7dae72827293b9297f07130dd12c0c95f2a093471068f714181f6845a99fc", "09edfec7c22ff382f73a11674a30182f"),
    (b'export label currency', "30e12a3dc545a3977037096e629d32afd5d2d692407c4a767baa5dcedf1337fc", "97e3af2203f6901e825777a5a042b358"),
    (b'field settings cancel', "b8c62c3062c0e560cdbca08411412d7b76e801ddfee595081dc2bc1c7aaa6895", "5b27de3ec7b9dcf11f80cecf54292f6d"),
    (b'retry updated user', "e8b1c0f2ceefda50556f513a6dd1663f9eed1b3858dac555b427754df5e53d7b", "10ae2ec7b29f2f7705c48b793d95ea8a"),
    (b'reset key retry', "b7c7cc74bd2d17b2a9cc190df9b80735d9d2a0a74833992897c871f47b3f9092", "157c47a6380bd3d8cea074658ab95cfa"),
    (b'settings region label', "cbbff4df4224ccc8d3b177dd21eb387a2e0b626541df76ec103b9b1cd8dc9914", "5923542f95baed7fbae9ed1379242665"),
    (b'title payment timeout', "88722ee34dbda7f667174f0c7d8c773e3fa001be3d8b8efa39b8b041ad80fe5e", "8539ff77e6f59319f483cdfe416fc1d9"),
    (b'amount updated phone', "55dfa69fb563306bcb2fe2b2f800a5d6a8946b4837a0293759c5f2e8544f1fa1", "ba9ec11557ff7992b6815ddfa666a2bd"),
    (b'created confirm secret', "626bd1215324bf79305c2be63122e1a39637ef7445d808c1dd4b104b51afa282", "8e25f1c249c1de19079ba7ef58b211bf"),
    (b'submit cancel report', "e99b319754e40c010817fe650a7efe998bc980aaf08e3156aa943dd0480c619f", "85b6272c4130b7d888efd65ead8f26c8"),
    (b'amount label message', "c9e463c2fbed35d3c83c9d6707a37f136b84fa3d758bf7eb4efdff9909379c46", "62981263bb424896dace733cf4c9a748"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
