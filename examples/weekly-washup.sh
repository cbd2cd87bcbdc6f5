#!/bin/sh
# The weekly wash-up, run by cron on Monday at 07:00 with no terminal:
#   0 7 * * 1  HCP_DB=/srv/hcp/hcp.sqlite /srv/hcp/weekly-washup.sh /srv/hcp/washup
# Writes last week's report for every area, as HTML (the meeting) and CSV (the spreadsheet),
# into a folder named for the week, e.g. washup/2026-11-23/. Files are readable by their owner
# only. Exits non-zero only when hcp reports a real error (it names it on stderr).
set -eu
out=${1:-washup}
hcp=${HCP:-hcp}
# The Monday of the last complete week (GNU date); hcp's own default period is the same week.
monday=$(date -d "$(date +%F) -$(( $(date +%u) + 6 )) days" +%F)
week=$(date -d "$monday" +%G-W%V)
dir="$out/$monday"
umask 077
mkdir -p "$dir"
"$hcp" report washup --week "$week" --format html --output "$dir/washup.html" --force
"$hcp" report washup --week "$week" --format csv --output "$dir/washup.csv" --force
echo "wash-up for $week written to $dir"
