// Command loadtoken mints the ES256 JWT that .ci/load sends with every
// request. It is a test aid for the load script, not part of edgepass.
//
//	go run ./.ci/loadtoken --key idp.pem --kid load-idp --sub alice
package main

import (
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
	ttl := flag.Duration("ttl", time.Hour, "lifetime of the token")
	flag.Parse()

	tok, err := mint(*key, *kid, *sub, *iss, *aud, *ttl)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadtoken: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(tok)
}

// mint signs an ES256 token for sub that expires after ttl.
func mint(keyFile, kid, sub, iss, aud string, ttl time.Duration) (string, error) {
	pem, err := os.ReadFile(keyFile) // #nosec G304 -- the load script names the key file
	if err != nil {
		return "", fmt.Errorf("read key: %w", err)
	}
	key, err := jwt.ParseECPrivateKeyFromPEM(pem)
	if err != nil {
		return "", fmt.Errorf("parse key %q: %w", keyFile, err)
	}
	now := time.Now()
	c := jwt.MapClaims{"sub": sub, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	if iss != "" {
		c["iss"] = iss
	}
	if aud != "" {
		c["aud"] = aud
	}
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
