<?php

return [
    'gh_token' => 'ghp_59CDNAkob8FwrvIOckD1PFJVeo7QbzraadOl',
    'secret_key_base' => '90bf679513438dc063580daa5eb8ddfe29db931e8ac7b141474452a3d611eec1a3d4598b9a3e6b9db7a11c6c1ca8cec2fd627206bcacd97581315851d2771ba3',
    'replicate_api_token' => 'r8_9ouMBp8kaP8ELhwVrfTcPkCmfP04u4aj9MW9x',
    'razorpay_key_id' => 'rzp_live_Wesmfsg2YzdKn3',
    'razorpay_key_secret' => 'RYvvzUUec3XbKKx47tXmX2Rk',
    'timezone' => 'UTC',
];
