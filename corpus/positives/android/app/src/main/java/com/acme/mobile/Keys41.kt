package com.acme.mobile

object Keys {
    const val KEYSTORE_PASSWORD = "ek42mrXqYbMkIlPqeUCYMgOr/JUJPPCnAaHP5BymIpw="
    const val DISCORD_BOT_TOKEN = "O5OMA9lRCGgH94QYHSKp8OTjMD.5l1uVz.Oy2WIaQbUU_zRQGFf666EOUenWsCAsflYZiSZU"
}
