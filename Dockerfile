# The gradient explorer as a container: slim Python, the README's install, a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    EXPLORER_TORCH_THREADS=1
# A CJK font so the Chinese interface renders in exported images and any server-side text drawing.
RUN apt-get update && apt-get install -y --no-install-recommends curl fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
# Exactly the README's install. torch is pinned to 2.13.0; where the package index serves a CUDA build
# of it (gigabytes), point pip at a CPU wheel index with --build-arg PIP_EXTRA_INDEX_URL=<index URL>.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install -r requirements.txt

COPY . .
RUN useradd --create-home --uid 1000 explorer && chown -R explorer /app
USER explorer

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8501/_stcore/health || exit 1
CMD ["streamlit", "run", "explorer_server.py", "--server.port=8501", "--server.address=0.0.0.0"]
