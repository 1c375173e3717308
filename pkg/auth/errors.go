package auth

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

// Errors returned by [Authenticator.Authenticate]. Every refused token
// yields an error that matches [ErrMissingToken], [ErrTokenTooLarge] or
// [ErrInvalidToken]; an invalid token's error also matches the underlying
// cause, such as [jwt.ErrTokenExpired], [ErrAlgorithm] or [ErrUnknownKey].
var (
	// ErrMissingToken reports an empty token.
	ErrMissingToken = errors.New("missing token")
	// ErrTokenTooLarge reports a token over MaxTokenSize bytes; such a
	// token is refused before it is parsed.
	ErrTokenTooLarge = errors.New("token too large")
	// ErrInvalidToken reports a token that failed verification.
	ErrInvalidToken = errors.New("invalid token")
	// ErrAlgorithm reports a token signed with an algorithm outside the
	// allow-list.
	ErrAlgorithm = errors.New("algorithm not allowed")
	// ErrUnknownKey reports a token for which no usable key is known: an
	// unknown kid, or a key whose type does not fit the token's algorithm.
	ErrUnknownKey = errors.New("unknown signing key")
)

// tokenError is an invalid token's error: it matches ErrInvalidToken and
// the cause, and carries the reason chosen when the token was checked.
type tokenError struct {
	reason string
	err    error
}

func (e *tokenError) Error() string { return "invalid token: " + e.err.Error() }

func (e *tokenError) Unwrap() []error { return []error{ErrInvalidToken, e.err} }

// Reason returns a stable snake_case word that says why a token was refused,
// for logs and metric labels: missing, too_large, malformed, algorithm,
// unknown_key, bad_signature, expired, not_yet_valid, issued_in_future,
// no_expiry, wrong_issuer, wrong_audience, or invalid for anything else.
// It returns "" for a nil error.
func Reason(err error) string {
	var te *tokenError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrMissingToken):
		return "missing"
	case errors.Is(err, ErrTokenTooLarge):
		return "too_large"
	case errors.As(err, &te):
		return te.reason
	}
	return "invalid"
}

// invalid wraps err, returned by the parser for a token whose header and
// claims (either possibly nil) were decoded as far as they could be.
func (a *Authenticator) invalid(tok *jwt.Token, claims jwt.MapClaims, err error) error {
	if !errors.Is(err, jwt.ErrTokenMalformed) && tok != nil {
		if alg, _ := tok.Header["alg"].(string); !a.algs[alg] {
			return &tokenError{reason: "algorithm", err: errors.Join(ErrAlgorithm, err)}
		}
	}
	return &tokenError{reason: a.reasonOf(claims, err), err: err}
}

// reasonOf names the first failed check in err.
func (a *Authenticator) reasonOf(claims jwt.MapClaims, err error) string {
	checks := []struct {
		err    error
		reason string
	}{
		{jwt.ErrTokenMalformed, "malformed"},
		{jwt.ErrInvalidType, "malformed"},
		{ErrAlgorithm, "algorithm"},
		{ErrUnknownKey, "unknown_key"},
		{jwt.ErrTokenSignatureInvalid, "bad_signature"},
		{jwt.ErrTokenExpired, "expired"},
		{jwt.ErrTokenNotValidYet, "not_yet_valid"},
		{jwt.ErrTokenUsedBeforeIssued, "issued_in_future"},
		{jwt.ErrTokenInvalidIssuer, "wrong_issuer"},
		{jwt.ErrTokenInvalidAudience, "wrong_audience"},
	}
	for _, c := range checks {
		if errors.Is(err, c.err) {
			return c.reason
		}
	}
	if errors.Is(err, jwt.ErrTokenRequiredClaimMissing) {
		return a.missingClaim(claims)
	}
	return "invalid"
}

// missingClaim names the required claim that claims lacks: the iss or aud
// that the options ask for, or else exp.
func (a *Authenticator) missingClaim(claims jwt.MapClaims) string {
	if iss, _ := claims["iss"].(string); a.issuer != "" && iss == "" {
		return "wrong_issuer"
	}
	aud, _ := claims.GetAudience()
	if a.audience && (len(aud) == 0 || len(aud) == 1 && aud[0] == "") {
		return "wrong_audience"
	}
	return "no_expiry"
}
