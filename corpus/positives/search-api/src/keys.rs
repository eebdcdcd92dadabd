//! Build-time settings.

pub const MONGODB_URI: &str = "mongodb://billing:ttwZQBpncR8~Lb~TnxrQzT9llb5@10.0.3.17:27017/orders?authSource=admin";
pub const AGE_SECRET_KEY: &str = "AGE-SECRET-KEY-1LDRG9T7Z8U6NYZMU0PXZVST64ELWCXH0L2RYEW5H9HG4ACR760TPV6GD6E";
pub const INTERNAL_API_KEY: &str = "73defa047c44b2298b11db68ff31a69b1e96834e40493be133dfcfbb641a388e";
