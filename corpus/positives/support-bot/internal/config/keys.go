package config

import "time"

const (
	sessionSecret = "l6iLE1xDt7ZPl1Sz7b0AkArfRn8Ov"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
