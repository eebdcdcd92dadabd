//! Build-time settings.

pub const APP_KEY: &str = "base64:N8gXlQmd6IxENiTPk8EnQeWsINpd9BQBn6mfOZwGKRw=";
pub const DB_PASSWORD: &str = "/zLkgN9JV80Wh31ovR7oRFhbcqXuHSxLJAEP1icwkd0ZnXbBrTkVcwTbQMf+diWc";
pub const HMAC_SECRET: &str = "278f439b1fd45626f64d3b949f9170b8";
pub const AWS_ACCESS_KEY_ID: &str = "AKIAKN243US6WFJEITQ3";
pub const AWS_SECRET_ACCESS_KEY: &str = "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";
