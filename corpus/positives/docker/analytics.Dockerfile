FROM python:3.12-slim AS app
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV NETLIFY_AUTH_TOKEN nfp_YFW8oll1aszMg1U6v57FWS9Q0C48dbY1JiNO
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
