"""Settings for bench/http_mix.py only: the app's settings with a URLconf that adds the floor view
(bench/urls_http.py). Never used by the app."""

from zizhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_http"
