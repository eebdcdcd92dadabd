//! Build-time settings.

pub const TOGETHER_API_KEY: &str = "tgp_v1_wpXQWPdno0nXAhk_wV7-8s3FKDi7l_oCuKTDopeK8u3";
