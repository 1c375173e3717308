package auth_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

// tamper replaces the payload of token with that of other.
func tamper(token, other string) string {
	a, b := strings.Split(token, "."), strings.Split(other, ".")
	return a[0] + "." + b[1] + "." + a[2]
}

// flipSignature changes one character in the middle of token's signature.
func flipSignature(token string) string {
	i := strings.LastIndex(token, ".") + 10
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}

func TestAuthenticateRefuses(t *testing.T) {
	rs := func(c jwt.MapClaims) string {
		return sign(t, jwt.SigningMethodRS256, rsaKey(), "rsa1", c)
	}
	valid := rs(claims(nil))
	none := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "", claims(nil))
	rsaPEM := publicPEM(t, &rsaKey().PublicKey)
	kidNumber := jwt.NewWithClaims(jwt.SigningMethodES256, claims(nil))
	kidNumber.Header["kid"] = 7
	crit := jwt.NewWithClaims(jwt.SigningMethodES256, claims(nil))
	crit.Header["kid"], crit.Header["crit"] = "ec1", []string{"b64"}
	signed := func(tok *jwt.Token) string {
		s, err := tok.SignedString(ecKey())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	tests := []struct {
		name   string
		token  string
		reason string
		is     error
	}{
		{"missing", "", "missing", auth.ErrMissingToken},
		{"garbage", "not a token", "malformed", jwt.ErrTokenMalformed},
		{"garbage_segments", "a.b.c", "malformed", jwt.ErrTokenMalformed},
		{"alg_none", none, "algorithm", auth.ErrAlgorithm},
		{"alg_none_signed_part", none + "c2ln", "algorithm", auth.ErrAlgorithm},
		{"hs256_with_rsa_public_key",
			sign(t, jwt.SigningMethodHS256, rsaPEM, "rsa1", claims(nil)),
			"algorithm", auth.ErrAlgorithm},
		{"alg_outside_allow_list",
			sign(t, jwt.SigningMethodRS512, rsaKey(), "rsa1", claims(nil)),
			"algorithm", auth.ErrAlgorithm},
		{"expired", rs(claims(map[string]any{"exp": t0.Add(-time.Second).Unix()})),
			"expired", jwt.ErrTokenExpired},
		{"future_nbf", rs(claims(map[string]any{"nbf": t0.Add(time.Minute).Unix()})),
			"not_yet_valid", jwt.ErrTokenNotValidYet},
		{"future_iat", rs(claims(map[string]any{"iat": t0.Add(time.Minute).Unix()})),
			"issued_in_future", jwt.ErrTokenUsedBeforeIssued},
		{"wrong_issuer", rs(claims(map[string]any{"iss": "https://evil.example/"})),
			"wrong_issuer", jwt.ErrTokenInvalidIssuer},
		{"no_issuer", rs(claims(map[string]any{"iss": nil})),
			"wrong_issuer", jwt.ErrTokenRequiredClaimMissing},
		{"wrong_audience", rs(claims(map[string]any{"aud": []string{"billing"}})),
			"wrong_audience", jwt.ErrTokenInvalidAudience},
		{"no_audience", rs(claims(map[string]any{"aud": nil})),
			"wrong_audience", jwt.ErrTokenRequiredClaimMissing},
		{"no_exp", rs(claims(map[string]any{"exp": nil})),
			"no_expiry", jwt.ErrTokenRequiredClaimMissing},
		{"exp_not_a_number", rs(claims(map[string]any{"exp": "tomorrow"})),
			"malformed", jwt.ErrInvalidType},
		{"tampered_payload",
			tamper(valid, rs(claims(map[string]any{"sub": "bob"}))),
			"bad_signature", jwt.ErrTokenSignatureInvalid},
		{"tampered_signature", flipSignature(valid),
			"bad_signature", jwt.ErrTokenSignatureInvalid},
		{"signed_by_other_key",
			sign(t, jwt.SigningMethodRS256, rsaOther(), "rsa1", claims(nil)),
			"bad_signature", jwt.ErrTokenSignatureInvalid},
		{"oversized",
			rs(claims(map[string]any{"pad": strings.Repeat("x", auth.MaxTokenSize)})),
			"too_large", auth.ErrTokenTooLarge},
		{"unknown_kid", sign(t, jwt.SigningMethodRS256, rsaKey(), "nope", claims(nil)),
			"unknown_key", auth.ErrUnknownKey},
		{"kid_of_other_key_type",
			sign(t, jwt.SigningMethodES256, ecKey(), "rsa1", claims(nil)),
			"unknown_key", auth.ErrUnknownKey},
		{"no_kid_no_fitting_key",
			sign(t, jwt.SigningMethodES256, ecOther(), "", claims(nil)),
			"bad_signature", jwt.ErrTokenSignatureInvalid},
		{"kid_not_string", signed(kidNumber), "malformed", jwt.ErrTokenMalformed},
		{"crit_header", signed(crit), "malformed", jwt.ErrTokenMalformed},
	}
	a := newAuth(t, staticOptions(newClock()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := a.Authenticate(t.Context(), tt.token)
			if err == nil {
				t.Fatalf("Authenticate(%s) = %+v, want error", tt.name, p)
			}
			if got := auth.Reason(err); got != tt.reason {
				t.Errorf("Reason(%v) = %q, want %q", err, got, tt.reason)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("Authenticate(%s) = %v, want errors.Is %v", tt.name, err, tt.is)
			}
			outer := auth.ErrInvalidToken
			if errors.Is(tt.is, auth.ErrMissingToken) || errors.Is(tt.is, auth.ErrTokenTooLarge) {
				outer = tt.is
			}
			if !errors.Is(err, outer) {
				t.Errorf("Authenticate(%s) = %v, want errors.Is %v", tt.name, err, outer)
			}
			if tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("Authenticate(%s) error %q holds the token", tt.name, err)
			}
		})
	}
}

func TestAuthenticateAccepts(t *testing.T) {
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	static := staticOptions(c)
	static.Algorithms = append(static.Algorithms, "EdDSA", "PS256")
	static.PublicKeys = append(static.PublicKeys, auth.PublicKey{ID: "ed1", Key: edPub})
	hmac := auth.Options{HMACSecret: []byte(testSecret), Issuer: testIssuer, Now: c.Now}

	tests := []struct {
		name  string
		opts  auth.Options
		token string
	}{
		{"rs256", static, sign(t, jwt.SigningMethodRS256, rsaKey(), "rsa1", claims(nil))},
		{"es256", static, sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))},
		{"ps256", static, sign(t, jwt.SigningMethodPS256, rsaKey(), "rsa1", claims(nil))},
		{"eddsa", static, sign(t, jwt.SigningMethodEdDSA, edPriv, "ed1", claims(nil))},
		{"rs256_without_kid", static,
			sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(nil))},
		{"es256_without_kid", static,
			sign(t, jwt.SigningMethodES256, ecKey(), "", claims(nil))},
		{"hs256", hmac,
			sign(t, jwt.SigningMethodHS256, []byte(testSecret), "", claims(nil))},
		{"hs256_any_kid", hmac,
			sign(t, jwt.SigningMethodHS256, []byte(testSecret), "dev", claims(nil))},
		{"second_audience", static, sign(t, jwt.SigningMethodES256, ecKey(), "ec1",
			claims(map[string]any{"aud": []string{"x", "other"}}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAuth(t, tt.opts)
			p, err := a.Authenticate(t.Context(), tt.token)
			if err != nil {
				t.Fatalf("Authenticate(%s) = %v, want success", tt.name, err)
			}
			want := []string{"media:read", "profile"}
			if p.Subject != "alice" || !slices.Equal(p.Scopes, want) {
				t.Errorf("Authenticate(%s) = sub %q scopes %q, want %q %q",
					tt.name, p.Subject, p.Scopes, "alice", want)
			}
			if exp := t0.Add(time.Hour); !p.ExpiresAt.Equal(exp) {
				t.Errorf("Authenticate(%s).ExpiresAt = %v, want %v", tt.name, p.ExpiresAt, exp)
			}
		})
	}
}

// An RSA public key must never serve as an HMAC secret, even when HMAC
// is allowed beside RSA.
func TestAuthenticateHMACNeverUsesPublicKey(t *testing.T) {
	o := staticOptions(newClock())
	o.HMACSecret = []byte(testSecret)
	o.Algorithms = []string{"RS256", "HS256"}
	o.PublicKeys = o.PublicKeys[:1] // rsa1
	a := newAuth(t, o)
	rsaPEM := publicPEM(t, &rsaKey().PublicKey)
	for _, kid := range []string{"rsa1", ""} {
		tok := sign(t, jwt.SigningMethodHS256, rsaPEM, kid, claims(nil))
		_, err := a.Authenticate(t.Context(), tok)
		if got := auth.Reason(err); got != "bad_signature" {
			t.Errorf("Authenticate(HS256 with kid %q) reason = %q, want %q", kid, got, "bad_signature")
		}
	}
}

func TestAuthenticateLeeway(t *testing.T) {
	tests := []struct {
		name   string
		edits  map[string]any
		reason string
	}{
		{"exp_inside_leeway", map[string]any{"exp": t0.Add(-29 * time.Second).Unix()}, ""},
		{"exp_past_leeway", map[string]any{"exp": t0.Add(-31 * time.Second).Unix()}, "expired"},
		{"nbf_inside_leeway", map[string]any{"nbf": t0.Add(29 * time.Second).Unix()}, ""},
		{"nbf_past_leeway", map[string]any{"nbf": t0.Add(31 * time.Second).Unix()},
			"not_yet_valid"},
		{"iat_inside_leeway", map[string]any{"iat": t0.Add(29 * time.Second).Unix()}, ""},
	}
	o := staticOptions(newClock())
	o.Leeway = 30 * time.Second
	a := newAuth(t, o)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(tt.edits))
			_, err := a.Authenticate(t.Context(), tok)
			if got := auth.Reason(err); got != tt.reason {
				t.Errorf("Reason(Authenticate(%s)) = %q, want %q", tt.name, got, tt.reason)
			}
		})
	}
}

func TestAuthenticateExpired(t *testing.T) {
	tests := []struct {
		name   string
		edits  map[string]any
		key    any
		reason string
	}{
		{"expired", map[string]any{"exp": t0.Add(-48 * time.Hour).Unix()}, ecKey(), ""},
		{"no_exp", map[string]any{"exp": nil}, ecKey(), ""},
		{"valid", nil, ecKey(), ""},
		{"bad_signature", nil, ecOther(), "bad_signature"},
		{"wrong_issuer", map[string]any{"iss": "https://evil.example/"}, ecKey(),
			"wrong_issuer"},
		{"no_issuer", map[string]any{"iss": nil, "exp": nil}, ecKey(), "wrong_issuer"},
		{"wrong_audience", map[string]any{"aud": "billing"}, ecKey(), "wrong_audience"},
		{"future_nbf", map[string]any{"nbf": t0.Add(time.Hour).Unix()}, ecKey(),
			"not_yet_valid"},
	}
	a := newAuth(t, staticOptions(newClock()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, jwt.SigningMethodES256, tt.key, "ec1", claims(tt.edits))
			p, err := a.AuthenticateExpired(t.Context(), tok)
			if got := auth.Reason(err); got != tt.reason {
				t.Fatalf("Reason(AuthenticateExpired(%s)) = %q (%v), want %q",
					tt.name, got, err, tt.reason)
			}
			if err == nil && p.Subject != "alice" {
				t.Errorf("AuthenticateExpired(%s).Subject = %q, want %q", tt.name, p.Subject, "alice")
			}
		})
	}
	if _, err := a.AuthenticateExpired(t.Context(), ""); !errors.Is(err, auth.ErrMissingToken) {
		t.Errorf("AuthenticateExpired(\"\") = %v, want %v", err, auth.ErrMissingToken)
	}
}

func TestPrincipalScopes(t *testing.T) {
	tests := []struct {
		name  string
		edits map[string]any
		want  []string
	}{
		{"none", map[string]any{"scope": nil}, nil},
		{"scope_string", map[string]any{"scope": " a  b "}, []string{"a", "b"}},
		{"scp_array", map[string]any{"scope": nil, "scp": []any{"a", 3, "b"}},
			[]string{"a", "b"}},
		{"scp_string", map[string]any{"scope": nil, "scp": "a b"}, []string{"a", "b"}},
		{"both_deduplicated", map[string]any{"scope": "a b", "scp": []string{"b", "c"}},
			[]string{"a", "b", "c"}},
		{"scope_not_string", map[string]any{"scope": []string{"a"}}, nil},
	}
	a := newAuth(t, staticOptions(newClock()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(tt.edits))
			p, err := a.Authenticate(t.Context(), tok)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Scopes, tt.want) {
				t.Errorf("Authenticate(%s).Scopes = %q, want %q", tt.name, p.Scopes, tt.want)
			}
		})
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{auth.ErrMissingToken, "missing"},
		{auth.ErrTokenTooLarge, "too_large"},
		{errors.New("other"), "invalid"},
	}
	for _, tt := range tests {
		if got := auth.Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
