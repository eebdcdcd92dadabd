package com.acme.mobile

object Keys {
    const val VERCEL_TOKEN = "vcp_l8Werk6i9qZ67KEHbvNp0U1zCHTqYMerAuEExy1lM6jWdB4VVEt1Fb6F"
    const val GITLAB_TOKEN = "glpat-Rc4113xCJcckDFz2IOF3"
}
