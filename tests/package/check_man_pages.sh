#!/bin/sh
# Every manual page in DIR formats without a warning from groff (-ww: all warnings).
for p in "$1"/*.1; do
  w=$(LC_ALL=C.UTF-8 groff -man -ww -z "$p" 2>&1)
  [ -z "$w" ] || { echo "$p: $w"; exit 1; }
done
