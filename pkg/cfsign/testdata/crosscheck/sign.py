"""Sign one CloudFront URL with Debian's botocore, for pkg/cfsign's tests.

Run it with /usr/bin/python3 (python3-botocore and python3-cryptography).
stdin is the same JSON request as sign.mjs takes; botocore's CloudFrontSigner
makes URLs only and hashes with SHA-1 only, so "kind" must be "url" and
"hash", if given, "sha1". stdout: {"url": "..."}.

Given a JSON array of requests instead, it prints an array of results in the
same order, each {"error": "..."} where that request failed.
"""

import datetime
import json
import sys

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def rsa_signer(pem):
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)

    def sign(message):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    return sign


def expiry(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def sign(req):
    if req.get("kind") != "url":
        raise ValueError("botocore signs URLs only, not %r" % req.get("kind"))
    if req.get("hash", "sha1") != "sha1":
        raise ValueError("botocore signs with SHA-1 only, not %r" % req["hash"])
    signer = CloudFrontSigner(req["keyPairId"], rsa_signer(req["pem"]))
    if "policy" in req:
        return signer.generate_presigned_url(req["url"], policy=req["policy"])
    return signer.generate_presigned_url(
        req["url"], date_less_than=expiry(req["dateLessThan"])
    )


def sign_each(reqs):
    results = []
    for req in reqs:
        try:
            results.append({"url": sign(req)})
        except Exception as err:  # one failed request must not hide the rest
            results.append({"error": str(err)})
    return results


def main():
    try:
        request = json.load(sys.stdin)
        if isinstance(request, list):
            output = sign_each(request)
        else:
            output = {"url": sign(request)}
    except Exception as err:  # report any failure as one line, exit 1
        sys.stderr.write("sign.py: %s\n" % err)
        sys.exit(1)
    json.dump(output, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
