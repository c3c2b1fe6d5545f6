#!/usr/bin/env bash
# Makenot.work backup: a PostgreSQL dump plus a copy of the object store, in one dated directory.
#
#   deploy/backup.sh [--env-file FILE] BACKUP_ROOT
#
# Reads DATABASE_URL, DATA_DIR and S3_* from the environment (or from --env-file, e.g.
# /etc/makenot/env) and writes BACKUP_ROOT/makenot-<UTC time>/:
#   db.dump     pg_dump custom format (pg_restore reads it; pg_dump must be at least the server's
#               major version)
#   objects/    fs driver: a copy of DATA_DIR/objects (rsync; unchanged files are hard links to
#               the previous backup, so daily backups cost only what changed)
#   s3/         S3 driver: the bucket mirrored with the AWS CLI (`aws s3 sync`; install awscli,
#               or mirror the bucket with your provider's tools and skip this with --no-objects)
#   app-secret  DATA_DIR/app-secret when APP_SECRET is not set in the environment
#   MANIFEST    what was backed up, when, from where (no passwords)
# The directory appears under its final name only when everything succeeded, and
# BACKUP_ROOT/latest points at it.
#
# The database is dumped first, then the objects: an object uploaded in between is an extra
# file the hourly cleanup removes; nothing the dump refers to is missing unless it was deleted
# while the backup ran.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

env_file=""
objects=yes
while (($# > 0)); do
  case "$1" in
    --env-file) env_file=${2:?--env-file needs a file}; shift 2 ;;
    --no-objects) objects=no; shift ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    -*) echo "backup.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
(($# == 1)) || usage
root=$1

if [[ -n $env_file ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
: "${DATABASE_URL:?backup.sh: DATABASE_URL is not set (the embedded database: see docs/operations.md)}"
data_dir=${DATA_DIR:-./data}

mkdir -p "$root"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$root/makenot-$stamp"
work="$root/.makenot-$stamp.partial"
[[ ! -e $final ]] || { echo "backup.sh: $final exists already" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' ERR

echo "backup.sh: dumping the database"
pg_dump --format=custom --no-owner --no-acl --file="$work/db.dump" "$DATABASE_URL"

# shellcheck source=deploy/awscli.sh
. "$(dirname "${BASH_SOURCE[0]}")/awscli.sh"

driver=none
if [[ $objects == yes && -n ${S3_BUCKET:-} ]]; then
  driver=s3
  require_aws backup.sh
  echo "backup.sh: mirroring s3://$S3_BUCKET"
  # tmp/ holds uploads in progress, never a finished object
  awscli s3 sync --only-show-errors --exclude 'tmp/*' "s3://$S3_BUCKET" "$work/s3/"
  mkdir -p "$work/s3" # an empty bucket is still an S3 backup
elif [[ $objects == yes ]]; then
  driver=fs
  echo "backup.sh: copying $data_dir/objects"
  mkdir -p "$work/objects"
  link=()
  [[ -d $root/latest/objects ]] && link=(--link-dest="$(cd "$root/latest/objects" && pwd)")
  if [[ -d $data_dir/objects ]]; then
    # tmp/ holds writes in progress, never a finished object
    rsync -a --exclude=/tmp/ "${link[@]}" "$data_dir/objects/" "$work/objects/"
  fi
fi

if [[ -z ${APP_SECRET:-} && -f $data_dir/app-secret ]]; then
  cp -p "$data_dir/app-secret" "$work/app-secret"
fi

{
  echo "created=$stamp"
  echo "database=$(sed -E 's#//[^@/]*@#//#' <<<"$DATABASE_URL")"
  echo "objects=$driver"
  echo "pg_dump=$(pg_dump --version)"
} >"$work/MANIFEST"

mv "$work" "$final"
ln -sfn "makenot-$stamp" "$root/latest"
echo "backup.sh: done: $final"
