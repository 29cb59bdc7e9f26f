#!/bin/sh
# /usr/local/bin/zizhi: the `zizhi` command (Django's manage.py) for the operator, run as root:
# it reads /etc/zizhi/env and runs /srv/zizhi/.venv/bin/zizhi as the zizhi user, e.g.
#   zizhi migrate
#   zizhi check --deploy --fail-level WARNING
#   zizhi backup /var/backups/zizhi/before-upgrade.tar
set -eu
set -a
. /etc/zizhi/env
set +a
cd /srv/zizhi
exec /usr/sbin/runuser -u zizhi -- /srv/zizhi/.venv/bin/zizhi "$@"
