"""Gunicorn settings for one Zizhi app server (deploy/systemd/zizhi@.service runs one per port):

    gunicorn -c deploy/gunicorn.conf.py

Read from the environment (the unit sets ZIZHI_BIND from its instance name, the rest comes from
/etc/zizhi/env, see deploy/env.example):
  ZIZHI_BIND         host:port to listen on (default 127.0.0.1:8001); nginx is the only client
  ZIZHI_WORKERS      worker processes (default 2 x CPU cores + 1)
  ZIZHI_TIMEOUT      seconds a request may run before its worker is restarted (default 60)
  ZIZHI_ACCESS_LOG   file for the access log, "-" for stdout (the journal; default)
"""

import os

wsgi_app = "zizhi.wsgi:application"
bind = [os.getenv("ZIZHI_BIND", "127.0.0.1:8001")]
# Sync workers: nginx buffers the request and the answer, so a slow phone never holds a
# worker; each worker serves one request at a time with its own database connection
# (CONN_MAX_AGE keeps it open). Size PostgreSQL's max_connections for the sum over all
# app servers (deploy/README.md).
worker_class = "sync"
workers = int(os.getenv("ZIZHI_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
timeout = int(os.getenv("ZIZHI_TIMEOUT", "60"))  # nginx waits 65 s (proxy_read_timeout)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak never grows for long).
max_requests = 2000
max_requests_jitter = 200
backlog = 2048
# The app is loaded once, in the master, and the workers are forked from it: they start in a
# moment and share the memory of the code. A new version needs `systemctl restart` (a HUP
# would fork the old code again); restart the instances one after the other and nginx sends
# the requests to the other one meanwhile (deploy/README.md).
preload_app = True


def when_ready(server):
    """Import every view in the master too (Django would on each worker's first request)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


# nginx on the same host is the only proxy trusted for X-Forwarded-Proto (https). The client's
# address reaches Django as X-Real-IP, read through ZIZHI_PROXY_IP_HEADER=HTTP_X_REAL_IP;
# X-Forwarded-For is never trusted (docs/security.md).
forwarded_allow_ips = "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# The access log: the client (X-Real-IP from nginx), method, PATH ONLY (%(U)s, never the query
# string: a roster search by phone is a GET with ?q=<phone>; nor the Referer, which carries
# one), status, bytes, milliseconds.
accesslog = os.getenv("ZIZHI_ACCESS_LOG", "-")
access_log_format = '%({x-real-ip}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.getenv("ZIZHI_GUNICORN_LOG_LEVEL", "warning")
proc_name = "zizhi-" + bind[0].rsplit(":", 1)[-1]
