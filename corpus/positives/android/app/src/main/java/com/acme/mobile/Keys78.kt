package com.acme.mobile

object Keys {
    const val APP_SECRET = "a26f90925e9102d447c07f34869c5887"
    const val CLIENT_SECRET = "hxyL9vnJJ1mFc56l93qcV"
}
