#!/bin/sh
# First start of the compose file's PostgreSQL: the login role the API and the worker connect as.
# The migrations (run as the owner, POSTGRES_USER) grant it what it may do: everything on the
# application's tables but UPDATE, DELETE and TRUNCATE on audit_log.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$PSF_APP_PASSWORD" <<'EOSQL'
SELECT format('CREATE ROLE psf_app LOGIN PASSWORD %L', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'psf_app') \gexec
EOSQL
