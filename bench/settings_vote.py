"""Settings for bench/vote.py only: the app's settings with a URLconf that adds a bare
insert-one-row view (the floor the ballot endpoint is compared with). Never used by the app."""

from zizhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_vote"

# The API's rate limits stay on (their cost is measured) but far above what one machine sends.
ZIZHI_API_RATE_USER = ZIZHI_API_RATE_ANON = ZIZHI_API_RATE_IP = "100000000/m"
