FROM python:3.12-slim AS app
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV LINEAR_API_KEY=lin_api_AHpxmQ7rMjooqjBB8ahgHqaoqornYymU6c1wksVY
ENV ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIEQd63FTdhiKoK3iAINHX
ENV ALIBABA_CLOUD_ACCESS_KEY_SECRET="SK8htGJogfbcICwxx09pEXO9pCcRe2"
ENV AUTH0_CLIENT_SECRET s1iebwN3l0NJLNY6ajEISP-GOozFeZv3aVcF03kuxKapaDi1vLzEsD5mHQWM5xuy
COPY . .
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]
