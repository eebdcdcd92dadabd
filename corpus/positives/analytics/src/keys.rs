//! Build-time settings.

pub const NEON_API_KEY: &str = "napi_v66x5e2985u1czabav743enme9i4z25s5aexj6apgeq6dv1b6wkqnxbmvqn8jug3";
