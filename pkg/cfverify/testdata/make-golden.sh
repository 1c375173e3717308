#!/usr/bin/env bash
# Regenerates the golden vectors in this directory with openssl alone,
# following the CloudFront Developer Guide by hand: policy JSON without
# whitespace, `openssl dgst -sign`, base64 with + = / turned into - _ ~.
# The private keys live only in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.pem"
openssl pkey -in "$tmp/rsa.pem" -pubout -out rsa.pub.pem
openssl pkey -in "$tmp/ec.pem" -pubout -out ec.pub.pem

cf64() { openssl base64 -A | tr '+=/' '-_~'; }
sign() { printf '%s' "$3" | openssl dgst "-$2" -sign "$tmp/$1.pem" | cf64; }

host=https://d111111abcdef8.cloudfront.net
exp=1767290400 # 2026-01-01T18:00:00Z
canned() {
	printf '{"Statement":[{"Resource":"%s","Condition":{"DateLessThan":{"AWS:EpochTime":%s}}}]}' "$1" "$2"
}

u1="$host/private/golden.jpg?size=large"
s1=$(sign rsa sha1 "$(canned "$u1" $exp)")
s2=$(sign rsa sha256 "$(canned "$u1" $exp)")
u3="$host/private/caf%C3%A9.png"
s3=$(sign ec sha256 "$(canned "$u3" $exp)")
p4='{"Statement":[{"Resource":"'$host'/private/*","Condition":{"DateLessThan":{"AWS:EpochTime":'$exp'},"DateGreaterThan":{"AWS:EpochTime":1767200000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}'
s4=$(sign ec sha1 "$p4")
p5='{"Statement":[{"Resource":"'$host'/private/users/alice/*","Condition":{"DateLessThan":{"AWS:EpochTime":'$exp'}}}]}'
s5=$(sign rsa sha256 "$p5")

cat > golden.json <<JSON
[
  {"name": "rsa_canned_sha1",
   "url": "$u1&Expires=$exp&Signature=$s1&Key-Pair-Id=KGOLDENRSA0001",
   "resource": "$u1", "hash": "sha1", "canned": true},
  {"name": "rsa_canned_sha256",
   "url": "$u1&Expires=$exp&Signature=$s2&Key-Pair-Id=KGOLDENRSA0001&Hash-Algorithm=SHA256",
   "resource": "$u1", "hash": "sha256", "canned": true},
  {"name": "ecdsa_canned_sha256",
   "url": "$u3?Expires=$exp&Signature=$s3&Key-Pair-Id=KGOLDENEC00001&Hash-Algorithm=SHA256",
   "resource": "$u3", "hash": "sha256", "canned": true},
  {"name": "ecdsa_custom_sha1_ip",
   "url": "$host/private/a/b.mp4?Policy=$(printf '%s' "$p4" | cf64)&Signature=$s4&Key-Pair-Id=KGOLDENEC00001",
   "client_ip": "192.0.2.77",
   "resource": "$host/private/*", "hash": "sha1", "canned": false},
  {"name": "rsa_custom_sha256_cookies",
   "url": "$host/private/users/alice/cat.jpg",
   "cookies": {
     "CloudFront-Policy": "$(printf '%s' "$p5" | cf64)",
     "CloudFront-Signature": "$s5",
     "CloudFront-Key-Pair-Id": "KGOLDENRSA0001",
     "CloudFront-Hash-Algorithm": "SHA256"},
   "resource": "$host/private/users/alice/*", "hash": "sha256", "canned": false}
]
JSON
