#!/bin/sh
# Makes a git repository at $2 from the files in $1.
set -eu
src=$1
repo=$2
rm -rf "$repo"
mkdir -p "$repo"
cp -R "$src"/. "$repo"
cd "$repo"
git init -q -b main
git add -A
git -c user.name=Example -c user.email=example@example.com commit -qm "The widgets site"
