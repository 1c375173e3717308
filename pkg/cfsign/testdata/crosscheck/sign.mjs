// sign.mjs signs one CloudFront request with the npm package
// @aws-sdk/cloudfront-signer, so that pkg/cfsign's tests can compare bytes.
//
// stdin:  {"kind": "url"|"cookies", "url": "...", "keyPairId": "...",
//          "pem": "<private key PEM>", "dateLessThan": <epoch seconds>|"<ISO>",
//          "policy": "<JSON text, custom policy only>", "hash": "sha1"|"sha256",
//          "dateGreaterThan": <epoch seconds>, "ipAddress": "<CIDR>"}
//         (without "policy", dateGreaterThan or ipAddress make the npm
//         signer build a custom policy of its own)
// stdout: {"url": "..."} or {"cookies": {"CloudFront-...": "...", ...}}
//
// Given a JSON array of requests instead, it prints an array of results in
// the same order, each {"error": "..."} where that request failed, so that
// one process serves a whole test table.
import { readFileSync } from "node:fs";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";

const algorithms = { sha1: "SHA1", sha256: "SHA256" };

function signerInput(req) {
  const algorithm = algorithms[req.hash ?? "sha1"];
  if (!algorithm) {
    throw new Error(`unknown hash ${JSON.stringify(req.hash)}`);
  }
  const input = {
    url: req.url,
    keyPairId: req.keyPairId,
    privateKey: req.pem,
    algorithm,
  };
  if (req.policy !== undefined) {
    input.policy = req.policy;
  } else if (typeof req.dateLessThan === "number") {
    // The signer reads numbers as milliseconds, requests carry seconds.
    input.dateLessThan = new Date(req.dateLessThan * 1000);
  } else {
    input.dateLessThan = req.dateLessThan;
  }
  if (req.policy === undefined && req.dateGreaterThan !== undefined) {
    input.dateGreaterThan = new Date(req.dateGreaterThan * 1000);
  }
  if (req.policy === undefined && req.ipAddress !== undefined) {
    input.ipAddress = req.ipAddress;
  }
  return input;
}

function sign(req) {
  const input = signerInput(req);
  switch (req.kind) {
    case "url":
      return { url: getSignedUrl(input) };
    case "cookies": {
      const cookies = {};
      for (const [name, value] of Object.entries(getSignedCookies(input))) {
        cookies[name] = String(value);
      }
      return { cookies };
    }
    default:
      throw new Error(`unknown kind ${JSON.stringify(req.kind)}`);
  }
}

function signEach(reqs) {
  return reqs.map((req) => {
    try {
      return sign(req);
    } catch (err) {
      return { error: err.message };
    }
  });
}

try {
  const input = JSON.parse(readFileSync(0, "utf8"));
  const output = Array.isArray(input) ? signEach(input) : sign(input);
  process.stdout.write(JSON.stringify(output) + "\n");
} catch (err) {
  process.stderr.write(`sign.mjs: ${err.message}\n`);
  process.exit(1);
}
