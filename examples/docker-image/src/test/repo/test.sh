#!/bin/sh
# Checks that every widget has a positive price.
set -eu
sh build.sh > /dev/null
status=0
while IFS=, read -r name price; do
  case "$price" in
    ''|*[!0-9]*|0) echo "widget '$name' has no valid price: '$price'" >&2; status=1 ;;
  esac
done < build/catalogue.csv
[ "$status" -eq 0 ] && echo "all widgets priced"
exit "$status"
