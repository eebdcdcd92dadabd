"""Deploy the static site to S3."""

import boto3

session = boto3.Session(
    aws_access_key_id="AKIAYZVLSNYTVSYUOWDA",
    aws_secret_access_key="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",
    region_name="eu-west-1",
)
MAILGUN_API_KEY = "key-6aac3b8dd83d34e89236cb93e22d8edb"


def upload(bucket: str, path: str) -> None:
    session.client("s3").upload_file(path, bucket, path)
