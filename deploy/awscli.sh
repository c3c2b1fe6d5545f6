# Sourced by backup.sh and restore.sh: the AWS CLI with the app's S3 settings (S3_* as the app
# reads them). Checksums only where the API requires them: newer CLIs otherwise send trailing
# checksums that S3-compatible stores (MinIO, Garage, Ceph) may not accept; AWS's own S3 takes
# either. Both are overridable from the environment.

# require_aws SCRIPT: stop with one line saying what to install when the CLI is missing
require_aws() {
  command -v aws >/dev/null || { echo "$1: S3 storage needs the aws CLI (apt-get install awscli)" >&2; exit 1; }
}

awscli() {
  AWS_ACCESS_KEY_ID=${S3_ACCESS_KEY_ID:?} AWS_SECRET_ACCESS_KEY=${S3_SECRET_ACCESS_KEY:?} \
    AWS_DEFAULT_REGION=${S3_REGION:-us-east-1} \
    AWS_REQUEST_CHECKSUM_CALCULATION=${AWS_REQUEST_CHECKSUM_CALCULATION:-when_required} \
    AWS_RESPONSE_CHECKSUM_VALIDATION=${AWS_RESPONSE_CHECKSUM_VALIDATION:-when_required} \
    aws ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} "$@"
}
