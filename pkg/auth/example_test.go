package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

func ExampleAuthenticator_Authenticate() {
	// The identity provider's key pair; edgepass knows only the public half.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

	a, err := auth.New(context.Background(), auth.Options{
		Algorithms: []string{"ES256"},
		Issuer:     "https://login.example.com/",
		Audience:   []string{"edgepass"},
		PublicKeys: []auth.PublicKey{{ID: "idp-2026", Key: &key.PublicKey}},
		Leeway:     30 * time.Second,
		Now:        func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	defer a.Close()

	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{
		"iss":   "https://login.example.com/",
		"aud":   "edgepass",
		"sub":   "alice",
		"scope": "media:read",
		"exp":   now.Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = "idp-2026"
	signed, err := tok.SignedString(key)
	if err != nil {
		panic(err)
	}

	p, err := a.Authenticate(context.Background(), signed)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Subject, p.Scopes, p.ExpiresAt.Format(time.RFC3339))

	_, err = a.Authenticate(context.Background(), signed[:len(signed)-4]+"AAAA")
	fmt.Println(auth.Reason(err))
	// Output:
	// alice [media:read] 2026-05-01T13:00:00Z
	// bad_signature
}

func ExampleReason() {
	a, err := auth.New(context.Background(), auth.Options{
		HMACSecret: []byte("development-secret-of-32-bytes!!"),
	})
	if err != nil {
		panic(err)
	}
	defer a.Close()
	for _, token := range []string{"", "not-a-jwt"} {
		_, err := a.Authenticate(context.Background(), token)
		fmt.Printf("%q: %s\n", token, auth.Reason(err))
	}
	// Output:
	// "": missing
	// "not-a-jwt": malformed
}
