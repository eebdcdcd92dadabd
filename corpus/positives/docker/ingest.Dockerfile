FROM python:3.12-slim AS runtime
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ARG DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/4483908370353339354/urAa0ldxgMJq6A6I8ZdvWH9OmIObzWG9MHnfdXFrhSv8lacmeb-V0OpkcgdUeViBX51V
ENV ANTHROPIC_ADMIN_KEY=sk-ant-admin01-YjoQKQfnNfLDS_q1WDcHFtDjS77oF3ktP4CshL2Xl-WjZ-l6f6wudB5GMpUMBJK8RV3RRMUw2BSzmLJ_tSIkYvGZBrQKxAA
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
