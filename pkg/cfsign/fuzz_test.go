package cfsign_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// FuzzPolicyJSON checks that any resource either is refused or yields a
// policy that parses back to exactly one statement holding exactly that
// resource: no input can change the policy's structure.
func FuzzPolicyJSON(f *testing.F) {
	for _, s := range []string{
		"https://cdn.example/a/*", `https://c/"},{"Resource":"*`,
		`https://c/\u0000`, "https://c/\\", "https://c/a?b*c",
	} {
		f.Add(s, int64(1767290400))
	}
	f.Fuzz(func(t *testing.T, resource string, exp int64) {
		p := cfsign.Policy{Resource: resource, Expires: time.Unix(exp, 0)}
		b, err := p.JSON()
		if err != nil {
			return
		}
		var doc struct {
			Statement []struct {
				Resource  string
				Condition struct {
					DateLessThan struct {
						Epoch int64 `json:"AWS:EpochTime"`
					}
				}
			}
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("JSON() = %s, which does not parse: %v", b, err)
		}
		if len(doc.Statement) != 1 || doc.Statement[0].Resource != resource ||
			doc.Statement[0].Condition.DateLessThan.Epoch != exp {
			t.Fatalf("JSON() = %s, want one statement for %q until %d", b, resource, exp)
		}
		if _, err := cfsign.Decode(cfsign.Encode(b)); err != nil {
			t.Fatalf("Encode(%s) does not decode: %v", b, err)
		}
	})
}

// FuzzCheckURL checks that a URL accepted for signing yields a signed URL
// that still starts with it and carries exactly one signature.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://cdn.example/a.jpg", "https://cdn.example/a.jpg?x=1",
		"http://127.0.0.1:8080/p%C3%A9.jpg", "https://c/a?Expires=1",
	} {
		f.Add(s)
	}
	s := ecSigner(f, cfsign.SHA256)
	f.Fuzz(func(t *testing.T, raw string) {
		signed, err := s.CannedURL(raw, expires)
		if err != nil {
			return
		}
		if !strings.HasPrefix(signed, raw) || strings.Count(signed, "Signature=") != 1 {
			t.Fatalf("CannedURL(%q) = %q", raw, signed)
		}
	})
}
