package playground_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/playground"
)

// Mint the development token a signed-in alice with the premium plan
// would bring. HS256 is deterministic: the same secret, claims and time
// give the same token.
func ExampleMintToken() {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	tok, exp, err := playground.MintToken(secret, playground.TokenRequest{
		Subject: "alice",
		Claims:  map[string]string{"plan": "premium"},
	}, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Count(tok, "."), "dots, expires", exp.Format(time.RFC3339))
	// Output: 2 dots, expires 2026-12-03T21:00:00Z
}
