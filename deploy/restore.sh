#!/usr/bin/env bash
# Makenot.work restore: the reverse of backup.sh, into an empty database and data directory.
#
#   deploy/restore.sh [--env-file FILE] [--force] BACKUP_DIR
#
# Reads DATABASE_URL (the target database, which must exist: createdb it first), DATA_DIR and
# S3_* like the app does (or from --env-file). Stop the app servers and workers first.
#   - the database must have no tables, and DATA_DIR/objects (or the bucket) must be empty, unless
#     --force is given: then the database's objects are dropped and replaced by the dump's, and
#     DATA_DIR/objects or the bucket is made an exact copy of the backup's (what is not in it is
#     deleted);
#   - fs driver: BACKUP_DIR/objects is copied to DATA_DIR/objects;
#     S3 driver: BACKUP_DIR/s3 is synced to the bucket with the AWS CLI;
#   - BACKUP_DIR/app-secret goes to DATA_DIR/app-secret (sessions and signed links keep working)
#     unless APP_SECRET is set in the environment.
# Start the app afterwards: migrations newer than the backup run at start.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

env_file=""
force=no
while (($# > 0)); do
  case "$1" in
    --env-file) env_file=${2:?--env-file needs a file}; shift 2 ;;
    --force) force=yes; shift ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    -*) echo "restore.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
(($# == 1)) || usage
backup=$1
[[ -f $backup/db.dump ]] || { echo "restore.sh: $backup/db.dump not found (not a backup.sh directory?)" >&2; exit 1; }

if [[ -n $env_file ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
: "${DATABASE_URL:?restore.sh: DATABASE_URL is not set}"
data_dir=${DATA_DIR:-./data}

# shellcheck source=deploy/awscli.sh
. "$(dirname "${BASH_SOURCE[0]}")/awscli.sh"

tables=$(psql "$DATABASE_URL" -X -q -t -A -c \
  "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
if [[ $tables != 0 && $force != yes ]]; then
  echo "restore.sh: the database has $tables tables; restore into an empty database or pass --force" >&2
  exit 1
fi
if [[ -d $backup/objects && -d $data_dir/objects && $force != yes ]] &&
  [[ -n $(ls -A "$data_dir/objects") ]]; then
  echo "restore.sh: $data_dir/objects is not empty; restore into an empty DATA_DIR or pass --force" >&2
  exit 1
fi

if [[ -d $backup/s3 ]]; then
  : "${S3_BUCKET:?restore.sh: the backup holds S3 objects but S3_BUCKET is not set}"
  require_aws restore.sh
  keys=$(awscli s3api list-objects-v2 --no-paginate --bucket "$S3_BUCKET" --max-keys 1 --query KeyCount --output text)
  if [[ $force != yes && $keys != 0 ]]; then
    echo "restore.sh: s3://$S3_BUCKET is not empty; restore into an empty bucket or pass --force" >&2
    exit 1
  fi
fi

echo "restore.sh: restoring the database"
clean=()
[[ $force == yes ]] && clean=(--clean --if-exists)
pg_restore --no-owner --no-acl --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$DATABASE_URL" "$backup/db.dump"

if [[ -d $backup/s3 ]]; then
  echo "restore.sh: syncing objects to s3://$S3_BUCKET"
  delete=()
  [[ $force == yes ]] && delete=(--delete)
  awscli s3 sync --only-show-errors "${delete[@]}" "$backup/s3/" "s3://$S3_BUCKET"
elif [[ -d $backup/objects ]]; then
  echo "restore.sh: copying objects to $data_dir/objects"
  mkdir -p "$data_dir/objects"
  rsync -a --delete "$backup/objects/" "$data_dir/objects/"
fi

if [[ -z ${APP_SECRET:-} && -f $backup/app-secret ]]; then
  mkdir -p "$data_dir"
  if [[ ! -f $data_dir/app-secret || $force == yes ]]; then
    cp -p "$backup/app-secret" "$data_dir/app-secret"
  fi
fi
echo "restore.sh: done; start the app (it runs any newer migrations)"
