# One image for the API, the workers and the reconciler.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd \
      poppler-utils qpdf fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY models ./models
COPY storage ./storage
COPY ingest ./ingest
COPY ocr ./ocr
COPY api ./api
RUN pip install --no-cache-dir .

ENV OMP_THREAD_LIMIT=1 \
    SOHOA_DATA_DIR=/var/lib/sohoa
USER nobody
EXPOSE 8000
CMD ["sohoa", "serve", "--host", "0.0.0.0", "--port", "8000"]
