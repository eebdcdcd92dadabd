environment = "prod"
region      = "eu-central-1"
mysql_url = "mysql://app:pPJ~mxYDVwgm~H6AHybRvg8Q5M@rds-main.eu:3306/app"
