package config

import "time"

const (
	mistralApiKey = "XVHUag3FyKNBC9kYcCSfiQe6AyZU73k5"
	fireworksApiKey = "fw_ATGFs41M6RSLizk2FzyV0o9r"
	newRelicApiKey = "NRAK-HQMKFBWMRYNVZXXJF65TH3F5SCO"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
