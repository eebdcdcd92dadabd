package config

import "time"

const (
	mistralApiKey = "XVHUag3FyKNBC9kYcCSfiQe6AyZU73k5"
	honeycombApiKey = "hcaik_kl31b1dpfpw27y4x7yapv9gzihuba9uvzpln5folay06e29htycizjlgi4"
	servicePassword = "67668bc3d18684799867e754dae5ea4b0cf48447"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
