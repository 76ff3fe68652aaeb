#!/bin/sh
# The site's dev server: serves site/ on $PORT (8000 by default) until stopped.
set -eu
cd site
exec python3 -m http.server "${PORT:-8000}" --bind 127.0.0.1
