package issuer_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/issuer"
)

// Issue signed URLs and cookie sets for alice: the expiry is rounded up
// to the window, a path outside her grants is refused, and each cookie
// set is scoped to the prefix of its grant.
func Example() {
	key, _ := cfsign.GenerateKey(cfsign.ECDSA)
	ring, _ := cfsign.NewKeyRing(cfsign.Key{ID: "K2JCJMDEHXQW5F", Signer: key})
	iss, _ := issuer.New(issuer.Config{
		CDNURL: "https://d111111abcdef8.cloudfront.net",
		Now:    func() time.Time { return time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC) },
	}, cfsign.NewSigner(ring, cfsign.Options{}))

	rules, _ := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/shared/*"}},
	})
	grants := rules.For(map[string]any{"sub": "alice"}, nil)

	urls, _ := iss.URLs(grants, []string{"/private/users/alice/a.jpg"}, time.Hour)
	u := urls[0]
	fmt.Println(u.Path, u.ExpiresAt.Format(time.RFC3339))
	fmt.Println(strings.HasPrefix(u.URL,
		"https://d111111abcdef8.cloudfront.net/private/users/alice/a.jpg?Expires=1796332500&"))

	_, err := iss.URLs(grants, []string{"/private/users/bob/a.jpg"}, 0)
	fmt.Println(errors.Is(err, issuer.ErrForbidden))

	cookies, _, _ := iss.Cookies(grants, "")
	for _, c := range cookies {
		if c.Name == "CloudFront-Policy" {
			fmt.Println(c.Name, c.Path)
		}
	}
	// Output:
	// /private/users/alice/a.jpg 2026-12-03T21:15:00Z
	// true
	// true
	// CloudFront-Policy /private/users/alice/
	// CloudFront-Policy /private/shared/
}
