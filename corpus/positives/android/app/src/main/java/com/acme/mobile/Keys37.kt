package com.acme.mobile

object Keys {
    const val OPENAI_ADMIN_KEY = "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"
    const val HMAC_SECRET = "278f439b1fd45626f64d3b949f9170b8"
    const val FIREWORKS_API_KEY = "fw_ATGFs41M6RSLizk2FzyV0o9r"
}
