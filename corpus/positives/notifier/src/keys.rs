//! Build-time settings.

pub const STRIPE_RESTRICTED_KEY: &str = "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";
