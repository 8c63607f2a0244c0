#!/bin/bash
# Creates the secrets the apps read in AWS, with local values. In AWS the values are generated or put by an
# operator (docs/OPERATIONS.md); here they are fixed so a newcomer's run is reproducible. Never real keys.
set -euo pipefail

put_secret() {
  local name=$1 value=$2
  if awslocal secretsmanager describe-secret --secret-id "$name" >/dev/null 2>&1; then
    awslocal secretsmanager put-secret-value --secret-id "$name" --secret-string "$value" >/dev/null
  else
    awslocal secretsmanager create-secret --name "$name" --secret-string "$value" >/dev/null
  fi
  echo "raregen: secret $name"
}

# same shape as the secret RDS generates: the apps read username/password from it
put_secret raregen/db-credentials \
  '{"engine":"postgres","host":"localhost","port":5433,"dbname":"raregen","username":"raregen","password":"raregen-local"}'
# one JSON field each, named like the property it fills (infra-cdk ResourceNames.FIELD_*)
# the local chain (localstack module, port 9090) accepts any token
put_secret raregen/arc-token '{"token":"local-arc-token"}'
# regtest keys: empty means "let the local launcher generate and fund them"
put_secret raregen/keys/pool-wif '{"pool-wif":""}'
put_secret raregen/keys/funding-wif '{"funding-wif":""}'
put_secret raregen/admin-token '{"token":"local-admin-token"}'
# the token the local chain (as ARC) presents on the functions' POST /v1/callbacks/arc
put_secret raregen/arc-callback-token '{"token":"local-arc-callback-token"}'
# the functions' receipt signing key: 64 random hex characters, as the CDK stack generates it
put_secret raregen/receipt-key "{\"key\":\"$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')\"}"
# the key sign-in codes are hashed with: 64 random hex characters, as the CDK stack generates it
put_secret raregen/accounts-code-key "{\"key\":\"$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')\"}"
