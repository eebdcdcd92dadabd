FROM python:3.12-slim AS app
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV ATLASSIAN_API_TOKEN ATATT3xFfGF0hRsUj1XBxl_tc0wREJ-P8M5-buoeLjMnqoCzdOkTeOO71WIDfkC6EQg4O5jfSuEnfl4APGiVEwmPq2qh4z0KQupMxgOkVTZuwZ4Duk8xj6oDyM4MynSPa4yqAu8aex7uWaQUbtI1-W7n219kyOGa9NUjNl0SpTmMq9nPIksmbZpUi-uULFsY=BAFFFE37
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
