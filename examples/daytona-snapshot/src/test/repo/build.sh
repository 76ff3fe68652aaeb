#!/bin/sh
# Builds the catalogue: one line per widget, sorted by name.
set -eu
mkdir -p build
sort src/widgets.csv > build/catalogue.csv
echo "built $(wc -l < build/catalogue.csv | tr -d ' ') widgets"
