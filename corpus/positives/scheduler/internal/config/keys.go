package config

import "time"

const (
	adyenApiKey = "AQEATXfjNO3Ld9II/zEkkVt3ZobDUQadIBHYHnI81Dh4IgjPGjSVljisHc83kNA8sjn52Ma0jVU49O=-EYB/tiUUanlUzCAc6aXd1b+aExJTVBbadF2jzafG380="
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
