FROM python:3.12-slim AS runtime
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV REPLICATE_API_TOKEN r8_RbwxYW4bbPhljuRTehLVitAJXpEygskQnPZYk
ARG ADYEN_API_KEY=AQESP6j9IuKPlToZ6QNOCSVqfp7F9ZcF442mRboALgIYxSg8HVw84zJTbj7WJ5AeTQPplcQF2Zg1L4=-z9/Snm2muyE1onLcgExgt6SNab4VW9+8FIHNR3Sw+VS=
ENV ENCRYPTION_KEY=K00y2bxr5SLqXnzyxatpJ
ENV INTERCOM_ACCESS_TOKEN dG9rOnQ2eE1UQTFMTWFvWDlPTlVFUFBucGdCb0lnRVJHUnp5d09JYjBXZllw
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
