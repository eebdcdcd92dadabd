FROM python:3.12-slim AS runtime
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ARG INTERCOM_ACCESS_TOKEN=dG9rOkRRSjJ3SmJEOHVYV25jQjhFeGxRVkJoakFTZWNUYU1abExTdFFHUUJm
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
