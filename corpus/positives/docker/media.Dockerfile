FROM python:3.12-slim AS app
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV GOOGLE_API_KEY=AIzayOdATTY8w1h31sZ9beMFRFxeccrpMO-Un0e
ENV TWILIO_AUTH_TOKEN=b115248604a2e785f1441deb50fd59b2
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
