package cfsign_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// The canned policy CloudFront rebuilds from a request is documented as
// one JSON object without white space: Statement, Resource, Condition,
// DateLessThan, AWS:EpochTime, in that order. The signature must be made
// over exactly those bytes, so the test pins them.
func TestCannedPolicyMatchesDocumentedForm(t *testing.T) {
	const resource = "https://d111111abcdef8.cloudfront.net/image.jpg" +
		"?color=red&size=medium"
	got, err := cfsign.CannedPolicy(resource, time.Unix(1767290400, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Statement":[{"Resource":"` + resource + `",` +
		`"Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`
	if string(got) != want {
		t.Errorf("CannedPolicy(%q) = %s, want %s", resource, got, want)
	}
}

func TestCustomPolicyJSON(t *testing.T) {
	exp := time.Unix(1767290400, 0)
	tests := []struct {
		name   string
		policy cfsign.Policy
		want   string
	}{
		{
			name:   "expiry_only",
			policy: cfsign.Policy{Resource: "https://cdn.example/*", Expires: exp},
			want: `{"Statement":[{"Resource":"https://cdn.example/*",` +
				`"Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`,
		},
		{
			name: "all_conditions",
			policy: cfsign.Policy{
				Resource:  "https://cdn.example/a/?.jpg",
				Expires:   exp,
				NotBefore: time.Unix(1767200000, 0),
				IPRange:   netip.MustParsePrefix("192.0.2.0/24"),
			},
			want: `{"Statement":[{"Resource":"https://cdn.example/a/?.jpg",` +
				`"Condition":{"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},` +
				`"DateGreaterThan":{"AWS:EpochTime":1767200000},` +
				`"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`,
		},
		{
			name:   "no_html_escaping",
			policy: cfsign.Policy{Resource: "https://cdn.example/a&b<c>", Expires: exp},
			want: `{"Statement":[{"Resource":"https://cdn.example/a&b<c>",` +
				`"Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.policy.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("JSON() = %s, want %s", got, tt.want)
			}
		})
	}
}

// A resource is data, never structure: quotes and backslashes are escaped
// so no input can add a key or a statement to the policy.
func TestPolicyResourceCannotInjectKeys(t *testing.T) {
	evil := `https://cdn.example/x","Condition":{},"Resource":"*`
	p := cfsign.Policy{Resource: evil, Expires: time.Unix(2000000000, 0)}
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("policy is not JSON: %v", err)
	}
	if len(doc.Statement) != 1 || len(doc.Statement[0]) != 2 {
		t.Fatalf("policy %s has extra keys", b)
	}
	var res string
	if err := json.Unmarshal(doc.Statement[0]["Resource"], &res); err != nil {
		t.Fatal(err)
	}
	if res != evil {
		t.Errorf("Resource = %q, want %q", res, evil)
	}
}

func TestPolicyRefusals(t *testing.T) {
	exp := time.Unix(1767290400, 0)
	tests := []struct {
		name   string
		policy cfsign.Policy
		want   error
	}{
		{"no_resource", cfsign.Policy{Expires: exp}, cfsign.ErrInvalidPolicy},
		{"no_expiry", cfsign.Policy{Resource: "https://c/x"}, cfsign.ErrInvalidPolicy},
		{
			"expiry_equals_start",
			cfsign.Policy{Resource: "https://c/x", Expires: exp, NotBefore: exp},
			cfsign.ErrInvalidPolicy,
		},
		{
			"expiry_before_start",
			cfsign.Policy{Resource: "https://c/x", Expires: exp, NotBefore: exp.Add(time.Hour)},
			cfsign.ErrInvalidPolicy,
		},
		{
			"ipv6_range",
			cfsign.Policy{Resource: "https://c/x", Expires: exp,
				IPRange: netip.MustParsePrefix("2001:db8::/32")},
			cfsign.ErrInvalidIPRange,
		},
		{
			"host_bits_set",
			cfsign.Policy{Resource: "https://c/x", Expires: exp,
				IPRange: netip.MustParsePrefix("192.0.2.7/24")},
			cfsign.ErrInvalidIPRange,
		},
		{"non_ascii", cfsign.Policy{Resource: "https://c/café", Expires: exp}, cfsign.ErrNonASCII},
		{"control_char", cfsign.Policy{Resource: "https://c/a\nb", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"bare_wildcard", cfsign.Policy{Resource: "*", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"path_only", cfsign.Policy{Resource: "/private/*", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"ftp_scheme", cfsign.Policy{Resource: "ftp://c/x", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"no_host", cfsign.Policy{Resource: "https:///x", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"wildcard_host", cfsign.Policy{Resource: "https://*/x", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"fragment", cfsign.Policy{Resource: "https://c/a#b", Expires: exp}, cfsign.ErrInvalidPolicy},
		{"wildcard_scheme_host", cfsign.Policy{Resource: "http*://*", Expires: exp},
			cfsign.ErrInvalidPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.policy.JSON()
			if !errors.Is(err, tt.want) {
				t.Errorf("JSON() error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestPolicyResourceForms lists resources CloudFront documents for
// custom policies, which must all be accepted.
func TestPolicyResourceForms(t *testing.T) {
	exp := time.Unix(1767290400, 0)
	for _, r := range []string{
		"https://d111111abcdef8.cloudfront.net/private/*",
		"http://d111111abcdef8.cloudfront.net/a.jpg?v=1",
		"http*://d111111abcdef8.cloudfront.net/private/users/alice/*",
		"https://*.cloudfront.net/private/*",
		"https://media.example.com",
	} {
		if _, err := (cfsign.Policy{Resource: r, Expires: exp}).JSON(); err != nil {
			t.Errorf("Policy{Resource: %q}.JSON() error = %v, want none", r, err)
		}
	}
}

func TestParseIPRange(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"192.0.2.0/24", "192.0.2.0/24", false},
		{"192.0.2.7", "192.0.2.7/32", false},
		{"0.0.0.0/0", "0.0.0.0/0", false},
		{"192.0.2.7/24", "", true},
		{"2001:db8::/32", "", true},
		{"::ffff:192.0.2.1", "", true},
		{"192.0.2.0/33", "", true},
		{"example.com", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := cfsign.ParseIPRange(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseIPRange(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got.String() != tt.want {
			t.Errorf("ParseIPRange(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err != nil && !errors.Is(err, cfsign.ErrInvalidIPRange) {
			t.Errorf("ParseIPRange(%q) error = %v, want ErrInvalidIPRange", tt.in, err)
		}
	}
}

func TestEncodeUsesCloudFrontAlphabet(t *testing.T) {
	// 0xfb 0xff encodes to "+/8=" in standard base64.
	got := cfsign.Encode([]byte{0xfb, 0xff})
	if got != "-~8_" {
		t.Errorf("Encode(fb ff) = %q, want %q", got, "-~8_")
	}
	if strings.ContainsAny(cfsign.Encode(make([]byte, 300)), "+/=") {
		t.Error("Encode output holds characters CloudFront does not accept")
	}
}
