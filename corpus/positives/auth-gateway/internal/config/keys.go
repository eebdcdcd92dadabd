package config

import "time"

const (
	mongoUrl = "mongodb://web:SMHQ~30qPpTK4Hr2-8@rds-main.eu:27017/orders?authSource=admin"
	appSecret = "xgjUhGqXySL3~U%gfUx^xO%7Zb285S45"
	figmaToken = "figd_4xW6VotYo2ktoAwXVRkbSRq5Xh8l6wpsrGk9vVAC"
	clientSecret = "XPMMtNmhZ1s47uqDLVQn"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
