// Command loadtoken mints the ES256 JWTs that .ci/load sends, one a line;
// they differ only in their jti claim. It is a test aid for the load
// script, not part of edgepass.
//
//	go run ./.ci/loadtoken --key idp.pem --kid load-idp --sub alice --count 3
package main

import (
	"bufio"
	"crypto/ecdsa"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func main() {
	key := flag.String("key", "", "`file` of the P-256 private key (PEM) that signs")
	kid := flag.String("kid", "", "key `id` put in the token header")
	sub := flag.String("sub", "alice", "subject `claim`")
	iss := flag.String("iss", "", "issuer `claim`; none when empty")
	aud := flag.String("aud", "", "audience `claim`; none when empty")
	ttl := flag.Duration("ttl", time.Hour, "lifetime of the tokens")
	count := flag.Int("count", 1, "number of tokens")
	flag.Parse()

	if err := run(*key, *kid, *sub, *iss, *aud, *ttl, *count); err != nil {
		fmt.Fprintf(os.Stderr, "loadtoken: %v\n", err)
		os.Exit(1)
	}
}

func run(keyFile, kid, sub, iss, aud string, ttl time.Duration, count int) error {
	pem, err := os.ReadFile(keyFile) // #nosec G304 -- the load script names the key file
	if err != nil {
		return fmt.Errorf("read key: %w", err)
	}
	key, err := jwt.ParseECPrivateKeyFromPEM(pem)
	if err != nil {
		return fmt.Errorf("parse key %q: %w", keyFile, err)
	}
	out := bufio.NewWriter(os.Stdout)
	now := time.Now()
	for i := range count {
		c := claims(sub, iss, aud, now, ttl)
		c["jti"] = fmt.Sprintf("load-%d", i)
		tok, err := mint(key, kid, c)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, tok)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write tokens: %w", err)
	}
	return nil
}

// claims returns the claims for sub, issued now and expiring after ttl.
func claims(sub, iss, aud string, now time.Time, ttl time.Duration) jwt.MapClaims {
	c := jwt.MapClaims{"sub": sub, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	if iss != "" {
		c["iss"] = iss
	}
	if aud != "" {
		c["aud"] = aud
	}
	return c
}

// mint signs the claims c with ES256.
func mint(key *ecdsa.PrivateKey, kid string, c jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	if kid != "" {
		t.Header["kid"] = kid
	}
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}
