package cfverify_test

import (
	"crypto"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

func TestMatchResource(t *testing.T) {
	const d = "https://d111111abcdef8.cloudfront.net"
	tests := []struct {
		name     string
		resource string
		url      string
		want     bool
	}{
		{"exact", d + "/a.jpg", d + "/a.jpg", true},
		{"exact_other", d + "/a.jpg", d + "/b.jpg", false},
		{"exact_needs_query", d + "/a.jpg", d + "/a.jpg?x=1", false},
		{"case_matters", d + "/A.jpg", d + "/a.jpg", false},
		{"star_dir", d + "/training/*", d + "/training/orientation.pdf", true},
		{"star_spans_slashes", d + "/training/*", d + "/training/a/b/c.pdf", true},
		{"star_spans_query", d + "/training/*", d + "/training/a.pdf?x=1", true},
		{"star_empty", d + "/training/*", d + "/training/", true},
		{"star_not_parent", d + "/training/*", d + "/training", false},
		{"star_other_dir", d + "/training/*", d + "/trainingx/a", false},
		{"star_both_ends", d + "/*game_download.zip*", d + "/game_download.zip", true},
		{"star_both_ends_prefix", d + "/*game_download.zip*",
			d + "/example_game_download.zip?license=yes", true},
		{"star_both_ends_miss", d + "/*game_download.zip*", d + "/game_download.tar", false},
		{"star_scheme", "http*://" + d[8:] + "/a.jpg", d + "/a.jpg", true},
		{"star_all", "*", d + "/anything?at=all", true},
		{"star_all_http", "http://*", d + "/a", false},
		{"question_one", d + "/a?.jpg", d + "/a1.jpg", true},
		{"question_not_zero", d + "/a?.jpg", d + "/a.jpg", false},
		{"question_not_two", d + "/a?.jpg", d + "/a12.jpg", false},
		{"question_literal_query", d + "/a.jpg?v=1", d + "/a.jpg?v=1", true},
		{"question_any_char", d + "/a.jpg?v=1", d + "/a.jpgXv=1", true},
		{"question_encoded_byte", d + "/caf?.png", d + "/caf%C3%A9.png", false},
		{"question_three_encoded", d + "/caf???.png", d + "/caf%C3.png", true},
		{"stars_backtrack", d + "/*a*b*c", d + "/xaybzc", true},
		{"stars_backtrack_miss", d + "/*a*b*c", d + "/xaybzcd", false},
		{"star_question", d + "/*?", d + "/", false},
		{"star_question_one", d + "/*?", d + "/x", true},
		{"empty_resource", "", d, false},
		{"empty_both", "", "", true},
		{"only_stars_empty_url", "**", "", true},
		{"literal_star_in_url", d + "/a*b", d + "/a*b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cfverify.MatchResource(tt.resource, tt.url); got != tt.want {
				t.Errorf("MatchResource(%q, %q) = %v, want %v", tt.resource, tt.url, got, tt.want)
			}
		})
	}
}

// TestMatchResourceWorstCase: many stars against a long near-miss must
// finish quickly, not explode.
func TestMatchResourceWorstCase(t *testing.T) {
	resource := strings.Repeat("*a", 200) + "b"
	url := strings.Repeat("a", 8192)
	if cfverify.MatchResource(resource, url) {
		t.Fatalf("MatchResource(%q..., %q...) = true, want false", resource[:10], url[:10])
	}
}

func TestVerifySourceIP(t *testing.T) {
	s := ecSigner()
	obj := host + "/private/a.jpg"
	tests := []struct {
		name   string
		cidr   string
		client string // "" means unknown
		want   error
	}{
		{"inside_24", "192.0.2.0/24", "192.0.2.77", nil},
		{"first_of_24", "192.0.2.0/24", "192.0.2.0", nil},
		{"last_of_24", "192.0.2.0/24", "192.0.2.255", nil},
		{"outside_24", "192.0.2.0/24", "192.0.3.0", cfverify.ErrIPNotAllowed},
		{"single_32", "192.0.2.10/32", "192.0.2.10", nil},
		{"single_32_next", "192.0.2.10/32", "192.0.2.11", cfverify.ErrIPNotAllowed},
		{"host_bits_set", "192.168.0.1/24", "192.168.0.200", nil},
		{"any_0", "0.0.0.0/0", "203.0.113.9", nil},
		{"ipv4_mapped_client", "192.0.2.0/24", "::ffff:192.0.2.5", nil},
		{"ipv6_client", "0.0.0.0/0", "2001:db8::1", cfverify.ErrIPNotAllowed},
		{"unknown_client", "0.0.0.0/0", "", cfverify.ErrIPNotAllowed},
		{"ipv6_range", "2001:db8::/32", "2001:db8::1", cfverify.ErrMalformedPolicy},
		{"bad_prefix_length", "192.0.2.0/33", "192.0.2.1", cfverify.ErrMalformedPolicy},
		{"not_an_address", "example.com/24", "192.0.2.1", cfverify.ErrMalformedPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := s.customURL(t, crypto.SHA256, obj, policyJSON(obj, expires,
				`,"IpAddress":{"AWS:SourceIp":"`+tt.cidr+`"}`))
			var ip netip.Addr
			if tt.client != "" {
				ip = netip.MustParseAddr(tt.client)
			}
			res, err := newVerifier().VerifyURL(u, ip)
			if tt.want == nil {
				if err != nil || res.SourceIP.String() != tt.cidr {
					t.Fatalf("VerifyURL(%s from %s) = %+v, %v; want accepted", tt.cidr, ip, res, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyURL(%s from %s) = %v, want %v", tt.cidr, ip, err, tt.want)
			}
		})
	}
}

func TestStripSigningParams(t *testing.T) {
	const a = host + "/a.jpg"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"none", a, a},
		{"own_query_kept", a + "?size=large&color=red", a + "?size=large&color=red"},
		{"canned", a + "?Expires=1&Signature=s&Key-Pair-Id=K", a},
		{"canned_sha256", a + "?Expires=1&Signature=s&Key-Pair-Id=K&Hash-Algorithm=SHA256", a},
		{"custom", a + "?Policy=p&Signature=s&Key-Pair-Id=K", a},
		{"own_before", a + "?color=red&size=medium&Expires=1&Signature=s&Key-Pair-Id=K",
			a + "?color=red&size=medium"},
		{"own_after", a + "?Expires=1&Signature=s&Key-Pair-Id=K&color=red", a + "?color=red"},
		{"own_between", a + "?x=1&Policy=p&y=2&Signature=s&Key-Pair-Id=K&z=3",
			a + "?x=1&y=2&z=3"},
		{"order_kept", a + "?b=2&a=1&Expires=1", a + "?b=2&a=1"},
		{"name_case_matters", a + "?expires=1&Expires=1", a + "?expires=1"},
		{"similar_name_kept", a + "?Expires2=1&XSignature=s", a + "?Expires2=1&XSignature=s"},
		{"value_not_name", a + "?x=Expires&Expires=1", a + "?x=Expires"},
		{"empty_query", a + "?", a},
		{"valueless", a + "?Expires&flag", a + "?flag"},
		{"encoded_kept", a + "?q=%2F%3D&Expires=1", a + "?q=%2F%3D"},
		{"duplicates_all_gone", a + "?Expires=1&Expires=2", a},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cfverify.StripSigningParams(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("StripSigningParams(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "/a.jpg", "ftp://h/a", "https://", "https://h/a b", "https://h/a#f"} {
		if got, err := cfverify.StripSigningParams(bad); !errors.Is(err, cfverify.ErrMalformed) {
			t.Errorf("StripSigningParams(%q) = %q, %v; want %v", bad, got, err, cfverify.ErrMalformed)
		}
	}
}
