//! Build-time settings.

pub const SLACK_USER_TOKEN: &str = "xoxp-863162087155-659574516561-4650639886087-92a0b1f4a4f988b46ded3d8f81d8e4b2";
pub const DATADOG_API_KEY: &str = "d31823333166b5b5c2e8fd1d80eba273";
pub const AZURE_STORAGE_CONNECTION_STRING: &str = "DefaultEndpointsProtocol=https;AccountName=tfstateacct;AccountKey=JpQxBlDSiLT2Iv8+NFKOeG7YM0lKP1ekCj9c/7mnuxrGYVBfQ7NoxFh1pTwEZyb9TRBk/D+eAbdcFKp1QgG/Ye==;EndpointSuffix=core.windows.net";
pub const AIRTABLE_API_KEY: &str = "patj4LjjN3Ynnt24s.e653c76cd06ea705d01481ae790ef3c01db2032acf9959007e9e876f6e3b1f66";
