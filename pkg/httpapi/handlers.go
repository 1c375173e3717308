package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/issuer"
)

type urlsRequest struct {
	Paths []string `json:"paths"`
	TTL   string   `json:"ttl"`
}

type urlsResponse struct {
	URLs []issuer.SignedURL `json:"urls"`
}

type cookiesRequest struct {
	Path string `json:"path"`
}

type cookiesResponse struct {
	ExpiresAt time.Time       `json:"expires_at"`
	Cookies   []issuer.Cookie `json:"cookies"`
}

func (a *api) postSignedURLs(c *gin.Context) {
	var req urlsRequest
	if err := decode(c, &req, false); err != nil {
		writeError(c, err)
		return
	}
	if req.Paths == nil {
		writeError(c, badRequest("invalid_body", `"paths" is required`))
		return
	}
	ttl, err := parseTTL(req.TTL)
	if err != nil {
		writeError(c, err)
		return
	}
	urls, err := a.Issuer.URLs(a.grants(c), req.Paths, ttl)
	if err != nil {
		writeError(c, err)
		return
	}
	a.Metrics.issued("url", len(urls))
	c.Header("Cache-Control", "no-store")
	c.PureJSON(http.StatusOK, urlsResponse{URLs: urls})
}

// getSignedURL redirects to the signed URL of one path. The redirect is
// cacheable by the browser until the URL window ends, which is exactly as
// long as the same request would give the same URL.
func (a *api) getSignedURL(c *gin.Context) {
	paths := c.QueryArray("path")
	if len(paths) != 1 {
		writeError(c, badRequest("invalid_query", "exactly one path parameter is required"))
		return
	}
	urls, err := a.Issuer.URLs(a.grants(c), paths, 0)
	if err != nil {
		writeError(c, err)
		return
	}
	a.Metrics.issued("url", 1)
	maxAge := int(a.Issuer.URLWindowLeft() / time.Second)
	c.Header("Cache-Control", "private, max-age="+strconv.Itoa(maxAge))
	c.Redirect(http.StatusFound, urls[0].URL)
}

func (a *api) postSignedCookies(c *gin.Context) {
	var req cookiesRequest
	if err := decode(c, &req, true); err != nil {
		writeError(c, err)
		return
	}
	cookies, exp, err := a.Issuer.Cookies(a.grants(c), req.Path)
	if err != nil {
		writeError(c, err)
		return
	}
	sets := map[string]bool{}
	for _, ck := range cookies {
		http.SetCookie(c.Writer, ck.HTTP())
		sets[ck.Path] = true
	}
	a.Metrics.issued("cookie_set", len(sets))
	c.Header("Cache-Control", "no-store")
	c.PureJSON(http.StatusOK, cookiesResponse{ExpiresAt: exp, Cookies: cookies})
}

func (a *api) deleteSignedCookies(c *gin.Context) {
	cleared := a.Issuer.ClearCookies(a.grants(c))
	for _, ck := range cleared {
		http.SetCookie(c.Writer, ck)
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
}

// grants resolves the authenticated caller's grants.
func (a *api) grants(c *gin.Context) []grant.Grant {
	p, ok := c.MustGet(ctxPrincipal).(*auth.Principal)
	if !ok {
		return nil
	}
	return a.Grants.For(p.Claims, p.Scopes)
}

// decode reads a JSON body of at most MaxBodyBytes into v, refusing a
// body of another media type, invalid UTF-8 (which encoding/json would
// quietly replace), a field named twice, unknown fields and trailing data.
// An empty body is accepted only when optional.
func decode(c *gin.Context, v any, optional bool) error {
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errTooLarge
	case err != nil:
		return badRequest("invalid_body", "the body could not be read")
	case len(data) > 0 && !jsonMedia(c.GetHeader("Content-Type")):
		return errMediaType
	case !utf8.Valid(data):
		return badRequest("invalid_body", "the body is not valid UTF-8")
	}
	if name, ok := duplicateName(data); ok {
		return badRequest("invalid_body", fmt.Sprintf("field %.64q appears twice", name))
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	switch {
	case errors.Is(err, io.EOF) && optional:
		return nil
	case errors.Is(err, io.EOF):
		return badRequest("invalid_body", "a JSON body is required")
	case err != nil:
		return badRequest("invalid_body", "malformed JSON body: "+jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("invalid_body", "unexpected data after the JSON body")
	}
	return nil
}

// jsonMedia reports whether a Content-Type header names JSON. A missing
// one passes: only a type that says the body is something else fails.
func jsonMedia(header string) bool {
	if header == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(header)
	return err == nil && (mt == "application/json" ||
		strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// members tracks the names seen so far in one open JSON object.
type members struct {
	seen     map[string]bool // folded names
	wantName bool            // whether the next token is a name
}

// duplicateName returns a name that appears twice in one object of the
// JSON text data. Names are compared as encoding/json matches them to
// fields, without regard to case, so that {"paths":…,"PATHS":…} cannot
// smuggle a second value past a proxy that reads the first. It reports
// false for text that is not JSON, which decoding then refuses.
func duplicateName(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var open []*members // innermost last; nil for an array
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *members
		if len(open) > 0 {
			top = open[len(open)-1]
		}
		if name, ok := tok.(string); ok && top != nil && top.wantName {
			folded := foldName(name)
			if top.seen[folded] {
				return name, true
			}
			top.seen[folded] = true
			top.wantName = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			open = append(open, &members{seen: map[string]bool{}, wantName: true})
			continue
		case json.Delim('['):
			open = append(open, nil)
			continue
		case json.Delim('}'), json.Delim(']'):
			open = open[:len(open)-1]
		}
		// A value has ended; in an object, a name comes next.
		if n := len(open); n > 0 && open[n-1] != nil {
			open[n-1].wantName = true
		}
	}
}

// foldName maps each rune of s to the smallest rune that Unicode simple
// case folding equates with it, so that two names are equal under
// [strings.EqualFold] exactly when their folded forms are equal.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

// jsonProblem describes a decoding error without echoing the body.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return "the body must be a JSON object"
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	}
	// Unknown fields: the message names the field, which the caller sent.
	return err.Error()
}

func parseTTL(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, badRequest("invalid_ttl", fmt.Sprintf("ttl %q is not a duration such as 30m", s))
	}
	if d <= 0 {
		return 0, badRequest("invalid_ttl", fmt.Sprintf("ttl %q must be positive", s))
	}
	return d, nil
}
