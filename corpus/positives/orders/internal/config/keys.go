package config

import "time"

const (
	bitbucketAppPassword = "ATBBqW7qTxEDtATWqo4AztCc3ovCqzuWJAe7"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
