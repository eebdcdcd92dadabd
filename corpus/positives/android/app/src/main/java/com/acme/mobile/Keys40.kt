package com.acme.mobile

object Keys {
    const val HEROKU_API_KEY = "HRKU-AAitMEM4de5AJ1U-P6OPBAWEoEJyt-53cM4YWhoMjSkiy6RSRkrwBYTwHEDL"
}
