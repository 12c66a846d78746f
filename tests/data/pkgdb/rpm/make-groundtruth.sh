#!/bin/sh
# Regenerate the *.rpm-qa.csv ground truth with the real rpm (Debian rpm
# 4.18), using the query format of go-rpmdb's command.sh, so every CSV
# here has the same columns:
#   epoch¶name¶version¶release¶arch¶sourcerpm¶size¶license¶vendor¶summary¶sigmd5
# claircore-package.header is a bare header blob: it is wrapped in a copy
# of debian-rpm-4.18/rpmdb.sqlite whose Packages rows are replaced by it.
set -eu
cd "$(dirname "$0")"
qf='%|EPOCH?{%{EPOCH}}:{}|¶%{NAME}¶%{VERSION}¶%{RELEASE}¶%|ARCH?{%{ARCH}}:{}|¶%|SOURCERPM?{%{SOURCERPM}}:{}|¶%{SIZE}¶%{LICENSE}¶%|VENDOR?{%{VENDOR}}:{}|¶%{SUMMARY}¶%{SIGMD5}\n'
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in syft-Packages.bdb go-rpmdb-libuuid-Packages.bdb \
	osv-scalibr-Packages_epoch.bdb debian-rpm-4.18/Packages.bdb; do
	rm -rf "$T"/*
	cp "$f" "$T/Packages"
	rpm --dbpath "$T" --define '_db_backend bdb_ro' -qa --qf "$qf" \
		2>/dev/null >"$f.rpm-qa.csv"
done
rm -rf "$T"/*
cp debian-rpm-4.18/rpmdb.sqlite "$T/rpmdb.sqlite"
rpm --dbpath "$T" -qa --qf "$qf" >debian-rpm-4.18/rpmdb.sqlite.rpm-qa.csv
rm -rf "$T"/*
cp debian-rpm-4.18/rpmdb.sqlite "$T/rpmdb.sqlite"
sqlite3 "$T/rpmdb.sqlite" "DELETE FROM Packages; INSERT INTO Packages(hnum, blob) VALUES (1, readfile('claircore-package.header'));"
rpm --dbpath "$T" -qa --qf "$qf" >claircore-package.header.rpm-qa.csv
