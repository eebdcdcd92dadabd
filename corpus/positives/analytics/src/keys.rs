//! Build-time settings.

pub const ADMIN_PASSWORD: &str = "nvdAE3Bri2eTQeD5Hwg^zuTZe3nesda94~";
