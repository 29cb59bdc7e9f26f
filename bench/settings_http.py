"""Settings for bench/http_mix.py only: the app's settings with a URLconf that adds the floor view
(bench/urls_http.py). Never used by the app."""

from zizhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_http"

# The API's rate limits stay on (their cost is measured) but far above what one machine sends.
ZIZHI_API_RATE_USER = ZIZHI_API_RATE_ANON = ZIZHI_API_RATE_IP = "100000000/m"
