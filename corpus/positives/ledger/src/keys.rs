//! Build-time settings.

pub const HEROKU_API_KEY: &str = "HRKU-AAitMEM4de5AJ1U-P6OPBAWEoEJyt-53cM4YWhoMjSkiy6RSRkrwBYTwHEDL";
pub const REDIS_PASSWORD: &str = "VrRZPBqhVzvFqoc6mMhxMFMsOlIlqA7nm";
pub const DATABASE_PASSWORD: &str = "pscale_pw_zQ23opGuEIrk6M79ZaWBGuUomt7QfqrVCUAfDigcW-x";
