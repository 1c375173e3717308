package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/issuer"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// clientError is an error whose message is safe to show the client.
type clientError struct {
	status int
	reason string // stable snake_case, for logs and metrics
	detail string
}

func (e *clientError) Error() string { return e.detail }

func badRequest(reason, detail string) error {
	return &clientError{http.StatusBadRequest, reason, detail}
}

var (
	errNotFound = &clientError{http.StatusNotFound, "not_found", "no such endpoint"}
	errMethod   = &clientError{http.StatusMethodNotAllowed, "method_not_allowed",
		"method not allowed on this endpoint"}
	errTooLarge = &clientError{http.StatusRequestEntityTooLarge, "body_too_large",
		"request body exceeds 64 KiB"}
	errMediaType = &clientError{http.StatusUnsupportedMediaType, "unsupported_media_type",
		"the body must be application/json"}
)

// classify maps an error to its status, a reason word and a detail that
// is safe for the client. It is the one place that decides statuses.
func classify(err error) (status int, reason, detail string) {
	var ce *clientError
	switch {
	case errors.As(err, &ce):
		return ce.status, ce.reason, ce.detail
	case errors.Is(err, auth.ErrMissingToken):
		return http.StatusUnauthorized, "missing_token", "a bearer token is required"
	case errors.Is(err, auth.ErrTokenTooLarge), errors.Is(err, auth.ErrInvalidToken):
		r := auth.Reason(err)
		return http.StatusUnauthorized, r, "the token is not valid (" + r + ")"
	case errors.Is(err, issuer.ErrForbidden):
		return http.StatusForbidden, "forbidden", err.Error()
	case errors.Is(err, issuer.ErrNoGrants):
		return http.StatusForbidden, "no_grants", err.Error()
	case errors.Is(err, issuer.ErrInvalidPath):
		return http.StatusBadRequest, "invalid_path", err.Error()
	case errors.Is(err, issuer.ErrInvalidTTL):
		return http.StatusBadRequest, "invalid_ttl", err.Error()
	case errors.Is(err, issuer.ErrBatch):
		return http.StatusBadRequest, "invalid_batch", err.Error()
	}
	return http.StatusInternalServerError, "internal", "internal error"
}

// writeError answers with the problem for err and aborts the request.
func writeError(c *gin.Context, err error) {
	status, reason, detail := classify(err)
	c.Set(ctxError, err)
	c.Set(ctxReason, reason)
	switch status {
	case http.StatusUnauthorized:
		// RFC 6750 3.1: no error code when the request carries no bearer
		// token at all, missing or of another scheme.
		challenge := `Bearer`
		if reason != "missing_token" && reason != "not_bearer" {
			challenge = `Bearer error="invalid_token"`
		}
		c.Header("WWW-Authenticate", challenge)
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "application/problem+json")
	body := problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		RequestID: c.GetString(ctxRequestID),
	}
	c.AbortWithStatusJSON(status, body)
}
