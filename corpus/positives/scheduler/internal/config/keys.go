package config

import "time"

const (
	stripeApiKey = "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"
	grafanaServiceAccountToken = "glsa_cuV3XSIT6CQpQ2FEkjijmJ5kN2U7oYw1_ef184bb9"
	gitlabToken = "glpat-Rc4113xCJcckDFz2IOF3"
	appSecret = "a26f90925e9102d447c07f34869c5887"
)

// Timeout for outbound calls.
var Timeout = 30 * time.Second
