package config

import "time"

const (
	gemHostApiKey = "rubygems_33561d268537fa78de4e76c856fd2c24ba133334ddcdb3dd"
	braintreeAccessToken = "access_token$production$xtmk3shvkrcon4ly$8420ac95c53457896d925267d5802537"
	cargoRegistryToken = "cioEFZfVQVZ2U3OrigzqPXaxWidK0POO9qo"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
