//! Build-time settings.

pub const STRIPE_API_KEY: &str = "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";
pub const APP_SECRET: &str = "xgjUhGqXySL3~U%gfUx^xO%7Zb285S45";
