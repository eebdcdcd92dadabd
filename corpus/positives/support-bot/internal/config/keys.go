package config

import "time"

const (
	mapsApiKey = "AIza9OhJ4GmNNkiY4xVCfdiC7lhzirEj7GIimkl"
	azureCosmosKey = "PD72CVpj5PGZ4f8lT3hz3XtcYUjt+isl5ClmPGHSdIEurhGkjtp0//lI0yrZqpl+3Bnvc2r6OASHACDbgO+vkA=="
	flwSecretKey = "FLWSECK-a45303ff3f0bbfda90b30e943ea8039c-X"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
