package config

import "time"

const (
	circleciToken = "CCIPAT_LVR1aaWs17YHu3LHoshaFx_9bb4c25522b6df80cc9ba4babfaeccf5df7aab43"
	dtApiToken = "dt0c01.ZBS06R0N3J626QPLDU1R3GCD.P2OIQAOTT24DTPCB6DFPG95EMTP2NRVL3MBZSUYZ3MKXTY79RY4RLGSDEHNMP49V"
	notionToken = "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"
	perplexityApiKey = "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"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
