"""gunicorn settings for TalentCase: `gunicorn -c gunicorn.conf.py` (the app, the port and the sizes come from here).

Environment: TALENTCASE_BIND (default 127.0.0.1:8000; put a reverse proxy or load balancer in front),
WEB_CONCURRENCY (worker processes, default 2 per CPU + 1), GUNICORN_THREADS (threads per worker, default 1),
GUNICORN_TIMEOUT (seconds, default 60), FORWARDED_ALLOW_IPS (proxies trusted for X-Forwarded-*, default 127.0.0.1).
The app itself reads DATABASE_URL, REDIS_URL, SECRET_KEY, TALENTCASE_STORAGE and TALENTCASE_ENV (see docs/deploy.md).
"""

import multiprocessing
import os

wsgi_app = "talentcase:create_app()"
bind = os.environ.get("TALENTCASE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # no request renders a PDF or sends mail: jobs do that
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# No preload: each worker opens its own database and Redis connections after the fork.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app logs one key=value line per request (with its X-Request-ID), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "talentcase-web"
