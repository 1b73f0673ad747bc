#!/bin/sh
# One-shot: waits for the Connect worker's REST API, then creates each connector in $CONNECTORS
# (files in this folder's connectors/, default: orders.json). Run by docker-compose.yml's
# create-connectors service (curlimages/curl); works anywhere with sh and curl:
#   CONNECT_URL=http://localhost:8083 sh examples/config/create-connectors.sh
set -eu
CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
CONNECTORS="${CONNECTORS:-orders.json}"
DIR="$(cd "$(dirname "$0")" && pwd)/connectors"

echo "waiting for Kafka Connect at $CONNECT_URL ..."
tries=0
until curl -fsS -o /dev/null "$CONNECT_URL/connectors"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "Kafka Connect did not answer within 3 minutes" >&2
    exit 1
  fi
  sleep 2
done

for file in $CONNECTORS; do
  code=$(curl -sS -o /tmp/create-connector.out -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data @"$DIR/$file" "$CONNECT_URL/connectors")
  case "$code" in
    201) echo "created connector from $file" ;;
    409) echo "connector from $file already exists" ;;
    *) echo "creating connector from $file failed: HTTP $code $(cat /tmp/create-connector.out)" >&2; exit 1 ;;
  esac
done
