package com.acme.mobile

object Keys {
    const val SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://etl_loader:o-_vE6EYiAlRUMGwSn32s7JSMHQ~@rds-main.eu:5432/app"
}
