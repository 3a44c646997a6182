# The dashboard in a container: slim Python, dependencies from the hashed lock, a non-root user.
#   docker build -t nk-timeline .
#   docker run --rm -p 8501:8501 nk-timeline        # then open http://localhost:8501
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Dependencies first, so a change to the code does not reinstall them.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY --chown=app:app . .
USER app

EXPOSE 8501
# Streamlit answers "ok" on /_stcore/health; Python's standard library checks it, no curl needed.
# With server.baseUrlPath set, the path becomes /<baseUrlPath>/_stcore/health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--browser.gatherUsageStats=false"]
