//! Build-time settings.

pub const SERVICEBUS_CONNECTION_STRING: &str = "Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Wv/HxQ2ke2vc2wMHaskFN/9KgduOAAfjpiPmEYPVVtT=";
pub const DATABRICKS_TOKEN: &str = "dapi23a88b08754182243dff28d64c432fd6";
pub const SUPABASE_SECRET_KEY: &str = "sb_secret_uTMUWMFshRE1rGBXOwRRS8oQcB3e58a";
