package com.acme.mobile

object Keys {
    const val VAULT_TOKEN = "hvs.Twr4W98c3pyq9EXMSLpAGTFEn-pgiNg3fzDy-WeL300ZA6o22xpC4RzIKvC_vXvsWTQreE4TKR3PhvQwiJ1pl1RN4oMY0P53rJmt1sU0V3mAY8"
}
