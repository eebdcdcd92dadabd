<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wp_prod' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'SjG*SZy+46AuCZYffTtKVJAfM' );
define( 'DB_HOST', 'mysql.internal' );
define( 'AUTH_KEY',         'JA<3r4T0A~sH3S[<*rT2LILyd|bitJxqAT>>5Cnd^]8VrFi+C-%P%Yp-rnj7hgYa' );
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
