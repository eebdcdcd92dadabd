package config

import "time"

const (
	nvidiaApiKey = "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"
	databaseUrl = "mysql://svc_orders:D4AQ2e8LHIuO-HV-jNTUOWCuvs@pg-primary.prod.svc:3306/app"
	anthropicApiKey = "sk-ant-api03-dsW26kZIh6tbJ9iuClMyYyQ5ls22ESiWKBWIPeAJSbJon4Dhr3_PQiV8A-7cA3vonW9x373aBhUDufIGNFM0U8kPrxoZKAA"
	internalApiKey = "Lh+JTPwFx7J0I0wEWu/NmRPnkhXJXB8GlQHMLLcGi5i6erZLbma7Cc992MC9WiI2"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
