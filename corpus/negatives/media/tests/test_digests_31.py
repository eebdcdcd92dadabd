"""Digest helpers: known-answer tests."""

import hashlib

import pytest

CASES = [
    (b'title page error', "7f571d74971486f2aacb6cd50b3e5fbb3ee2debe9d32284a269cce3d348e501c", "5d87fb11e6aa1df98051c097ff80a7b7"),
    (b'address account limit', "fac11801ce4d07cf597c7f5e4ff46f3b445a674f36df3ee930c5bbef25349086", "c3d7abd25fa831f85c9a28c492fd1073"),
    (b'value invoice address', "1878528635cc61a1b6472ea4ced57b005e07ca1866168652dba608e8c3ab9189", "d0b845ba1869ca08771fe34601081b60"),
    (b'account retry reset', "ef9b3cf76976cf57bb40264ce71ebc22cde7f53f907988e1eb4804a69d560380", "218ccebae7efb7a6ebbf4d996951f092"),
    (b'error total refund', "b96a9e39042282f3373b559c5f1f6080dd89e63cdcb1b90a036e05d1209fb975", "8b7b81cd92e40417a8435ce420b2a07b"),
    (b'password search page', "3f3b4fd3000b8d43e62b41d744ae5b5eec56b825970882c2b7394183e391199c", "6e923c3a96e056c2c2dbab722aa82a76"),
    (b'label currency refund', "3c8828b2f9d0285c97d9d529dc81c7d33aae074f2632ec5e9fcf643cc9d51027", "8b3858f12d54ed9e7a07129d7ff03409"),
    (b'submit report label', "73726e40d17ef662ddbd863a8bd33892820a4cbf21a2a517940b8840ce264b27", "36f972bae4be535631431aebd6cc3d33"),
    (b'page phone value', "30589e86d053fbfce08d0f5e6f6c26c201782c846eb435717e648354b630d337", "25449cfcc3e564495d05cfde818901a2"),
    (b'payment title order', "8c4b4090d604e5dbabd03a8391299674527b0a8321263e29cc8f9a3b23379072", "b3ed776312db9e083786ee50c092c05a"),
    (b'notice created submit', "51ee43bc948c559ddfd72f319e8341399b094cbe35bcbb0ab71de510f54d64c1", "b1f6097434434b0b150b6544de9310bc"),
]


@pytest.mark.parametrize("data,sha256,md5", CASES)
def test_digests(data, sha256, md5):
    assert hashlib.sha256(data).hexdigest() == sha256
    assert hashlib.md5(data).hexdigest() == md5
