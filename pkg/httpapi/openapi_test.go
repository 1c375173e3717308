package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/httpapi"
)

// openAPIFile is the API's description, which these tests hold the real
// router to.
const openAPIFile = "../../docs/openapi.yaml"

// loadOpenAPI loads the document and checks that it is valid OpenAPI,
// examples included.
func loadOpenAPI(t testing.TB) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(openAPIFile)
	if err != nil {
		t.Fatalf("load %s: %v", openAPIFile, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("validate %s: %v", openAPIFile, err)
	}
	return doc
}

// contract checks exchanges with one handler against the document.
type contract struct {
	doc     *openapi3.T
	router  routers.Router
	handler http.Handler
	base    string
	opts    *openapi3filter.Options
}

// newContract judges h, served under base, by the document. The document
// lists example deployments as its servers; the router instead matches the
// deployment under test.
func newContract(t testing.TB, h http.Handler, base string) contract {
	t.Helper()
	doc := loadOpenAPI(t)
	doc.Servers = nil
	if base != "" {
		doc.Servers = openapi3.Servers{{URL: base}}
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    presentCredentials,
		IncludeResponseStatus: true,
	}
	return contract{doc: doc, router: router, handler: h, base: base, opts: opts}
}

// presentCredentials passes a security scheme when the request carries
// the credential it names. Whether the token is valid is the server's
// business; the document only says where a token goes.
func presentCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	s := in.SecurityScheme
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if strings.EqualFold(scheme, "Bearer") && tok != "" {
			return nil
		}
	case s.Type == "apiKey" && s.In == "cookie":
		if _, err := r.Cookie(s.Name); err == nil {
			return nil
		}
	}
	return in.NewError(nil)
}

// call is one request of the contract tests.
type call struct {
	name   string
	method string
	target string   // below the base path
	body   string   // sent as application/json when not empty
	header []string // name, value, name, value..., each set over the defaults
	status int
	// conforms reports whether the request conforms to the document. A
	// request the document refuses must be refused by the server too; a
	// conforming one may still be refused for what no schema can say,
	// such as an unknown key or a path outside the grants.
	conforms bool
}

func (c call) request(base string) *http.Request {
	r := httptest.NewRequest(c.method, base+c.target, strings.NewReader(c.body))
	if c.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(c.header); i += 2 {
		r.Header.Set(c.header[i], c.header[i+1])
	}
	return r
}

// exchange sends c through the handler and checks the request and the
// response against the document.
func (k contract) exchange(t *testing.T, c call) *http.Response {
	t.Helper()
	route, params, routeErr := k.router.FindRoute(c.request(k.base))

	w := httptest.NewRecorder()
	k.handler.ServeHTTP(w, c.request(k.base))
	res := w.Result()
	body, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(body))
	if res.StatusCode != c.status {
		t.Errorf("%s %s = %d, want %d; body %s", c.method, c.target, res.StatusCode,
			c.status, body)
	}

	if routeErr != nil {
		k.checkUnrouted(t, c.request(k.base), routeErr, res, body)
		return res
	}
	in := &openapi3filter.RequestValidationInput{
		Request: c.request(k.base), PathParams: params, Route: route, Options: k.opts,
	}
	err := openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case c.conforms && err != nil:
		t.Errorf("request does not conform to the document: %v", err)
	case !c.conforms && err == nil:
		t.Errorf("the document accepts a request the server answers %d", res.StatusCode)
	}
	k.checkResponse(t, in, res, body)
	return res
}

// checkUnrouted checks the answer to a request the document has no
// operation for: 404 for a path it does not describe, 405 for a method
// the path does not serve, each as its component response describes.
func (k contract) checkUnrouted(t *testing.T, r *http.Request, routeErr error,
	res *http.Response, body []byte) {
	t.Helper()
	status, name := http.StatusNotFound, "NotFound"
	if errors.Is(routeErr, routers.ErrMethodNotAllowed) ||
		routeErr.Error() == routers.ErrMethodNotAllowed.Error() {
		status, name = http.StatusMethodNotAllowed, "MethodNotAllowed"
	}
	if res.StatusCode != status {
		t.Errorf("%s %s = %d; the document (%v) says %d", r.Method, r.URL.Path,
			res.StatusCode, routeErr, status)
		return
	}
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses(
		openapi3.WithStatus(status, k.doc.Components.Responses[name]))
	route := &routers.Route{
		Spec: k.doc, Path: r.URL.Path, PathItem: &openapi3.PathItem{},
		Method: r.Method, Operation: op,
	}
	in := &openapi3filter.RequestValidationInput{Request: r, Route: route, Options: k.opts}
	k.checkResponse(t, in, res, body)
}

// headersAnywhere may appear on any response; the document's introduction
// describes them once.
var headersAnywhere = []string{
	"Content-Type", "Content-Length", "Vary",
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Expose-Headers",
}

// checkResponse validates a response with kin-openapi and then checks
// what it leaves out: every value of a repeated header, headers the
// document does not name, and a body the document does not describe.
func (k contract) checkResponse(t *testing.T, in *openapi3filter.RequestValidationInput,
	res *http.Response, body []byte) {
	t.Helper()
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: k.opts,
	}
	rin.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		t.Errorf("response does not match the document: %v", err)
	}
	ref := in.Route.Operation.Responses.Status(res.StatusCode)
	if ref == nil || ref.Value == nil {
		return // ValidateResponse has reported it
	}
	declared := ref.Value
	named := map[string]*openapi3.HeaderRef{}
	for name, h := range declared.Headers {
		named[http.CanonicalHeaderKey(name)] = h
	}
	for name, values := range res.Header {
		h := named[name]
		switch {
		case h == nil && !slices.Contains(headersAnywhere, name):
			t.Errorf("%d response carries %s, which the document does not name",
				res.StatusCode, name)
		case h != nil && len(values) > 1:
			checkEachValue(t, name, h.Value, values)
		}
	}
	checkContentType(t, declared, res, body)
}

// checkEachValue validates every value of a repeated header, such as
// Set-Cookie; kin-openapi reads only the first.
func checkEachValue(t *testing.T, name string, h *openapi3.Header, values []string) {
	t.Helper()
	if h.Schema == nil {
		return
	}
	for _, v := range values {
		if err := h.Schema.Value.VisitJSON(v); err != nil {
			t.Errorf("%s: %q: %v", name, v, err)
		}
	}
}

// checkContentType requires a body exactly when the document describes
// one, of a declared media type.
func checkContentType(t *testing.T, declared *openapi3.Response, res *http.Response,
	body []byte) {
	t.Helper()
	ct := res.Header.Get("Content-Type")
	switch {
	case len(body) > 0 && len(declared.Content) == 0:
		t.Errorf("%d response has a %q body the document does not describe",
			res.StatusCode, ct)
	case len(body) == 0 && len(declared.Content) > 0:
		t.Errorf("%d response has no body; the document describes one", res.StatusCode)
	case len(body) > 0:
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || declared.Content[mt] == nil {
			t.Errorf("%d response Content-Type = %q, want one of %v", res.StatusCode,
				ct, slices.Sorted(maps.Keys(declared.Content)))
		}
	}
}

// contractTokens are the tokens the contract calls use.
type contractTokens struct {
	alice, expired, noGrants, forged string
	cookie                           string // name of the token cookie
}

func newContractTokens(t *testing.T, doc *openapi3.T) contractTokens {
	alice := token(t, claims("alice", map[string]any{
		"plan": "premium", "org": "acme", "scope": "media:read",
	}))
	return contractTokens{
		alice: alice,
		expired: token(t, claims("alice", map[string]any{
			"exp": now.Add(-2 * time.Hour).Unix(), "iat": now.Add(-3 * time.Hour).Unix(),
		})),
		noGrants: token(t, claims("*", nil)),
		forged:   alice[:len(alice)-4] + "AAAA",
		cookie:   doc.Components.SecuritySchemes["tokenCookie"].Value.Name,
	}
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// pathsBody is a signed-urls body of n copies of path.
func pathsBody(n int, path string) string {
	return `{"paths":["` + strings.Repeat(path+`","`, n-1) + path + `"]}`
}

const (
	alicePath = "/private/users/alice/a.jpg"
	origin    = "https://app.example.com"
)

// successCalls reach every operation's success answer.
func successCalls(tk contractTokens) []call {
	a := bearer(tk.alice)
	return []call{
		{"post_urls", "POST", "/v1/signed-urls",
			`{"paths":["` + alicePath + `","/private/premium/é.mp4"],"ttl":"30m"}`,
			a, 200, true},
		{"post_urls_default_ttl", "POST", "/v1/signed-urls",
			`{"paths":["/private/users/alice/a b/"]}`, a, 200, true},
		{"post_urls_full_batch", "POST", "/v1/signed-urls", pathsBody(100, alicePath),
			a, 200, true},
		{"post_urls_allowed_origin", "POST", "/v1/signed-urls", pathsBody(1, alicePath),
			append(bearer(tk.alice), "Origin", origin), 200, true},
		{"get_url", "GET",
			"/v1/signed-url?path=" + url.QueryEscape("/private/users/alice/café.jpg"),
			"", a, 302, true},
		{"get_url_token_cookie", "GET", "/v1/signed-url?path=" + alicePath, "",
			[]string{"Cookie", tk.cookie + "=" + tk.alice}, 302, true},
		{"post_cookies_every_grant", "POST", "/v1/signed-cookies", "", a, 200, true},
		{"post_cookies_empty_object", "POST", "/v1/signed-cookies", "{}", a, 200, true},
		{"post_cookies_prefix", "POST", "/v1/signed-cookies",
			`{"path":"/private/users/alice/albums/*"}`, a, 200, true},
		{"post_cookies_object", "POST", "/v1/signed-cookies", `{"path":"` + alicePath + `"}`,
			a, 200, true},
		{"delete_cookies", "DELETE", "/v1/signed-cookies", "", a, 204, true},
		{"delete_cookies_expired_token", "DELETE", "/v1/signed-cookies", "",
			bearer(tk.expired), 204, true},
		{"delete_cookies_no_grants", "DELETE", "/v1/signed-cookies", "",
			bearer(tk.noGrants), 204, true},
		{"healthz", "GET", "/healthz", "", nil, 200, true},
		{"readyz", "GET", "/readyz", "", nil, 200, true},
		{"metrics", "GET", "/metrics", "", nil, 200, true},
		{"healthz_head", "HEAD", "/healthz", "", nil, 200, true},
		{"readyz_head", "HEAD", "/readyz", "", nil, 200, true},
		{"preflight_allowed_origin", "OPTIONS", "/v1/signed-urls", "",
			[]string{"Origin", origin, "Access-Control-Request-Method", "POST",
				"Access-Control-Request-Headers", "authorization, content-type"}, 204, true},
		{"preflight_other_origin", "OPTIONS", "/v1/signed-cookies", "",
			[]string{"Origin", "https://evil.example.com",
				"Access-Control-Request-Method", "DELETE"}, 204, true},
	}
}

// badPathCalls send malformed paths: the document's pattern refuses most,
// and the server refuses all.
func badPathCalls(tk contractTokens) []call {
	a := bearer(tk.alice)
	urls := func(name, path string, conforms bool) call {
		return call{name, "POST", "/v1/signed-urls", `{"paths":["` + path + `"]}`, a, 400,
			conforms}
	}
	return []call{
		urls("path_dot_dot", "/private/users/alice/../bob/a.jpg", false),
		urls("path_dot_segment", "/private/users/alice/./a.jpg", false),
		urls("path_percent", "/private/users/alice/%2e%2e/a.jpg", false),
		urls("path_double_slash", "/private/users/alice//a.jpg", false),
		urls("path_backslash", `/private/users/alice/a\\b.jpg`, false),
		urls("path_star", "/private/users/alice/*", false),
		urls("path_question", "/private/users/alice/a?.jpg", false),
		urls("path_hash", "/private/users/alice/a#b", false),
		urls("path_control", `/private/users/alice/a\u0001.jpg`, false),
		urls("path_bidi_override", "/private/users/alice/a\u202e.jpg", false),
		urls("path_relative", "private/users/alice/a.jpg", false),
		urls("path_too_long", "/private/users/alice/"+strings.Repeat("a", 1100), false),
		// What only the server checks: a rarer format character, and
		// the length in bytes rather than characters.
		urls("path_arabic_letter_mark", "/private/users/alice/a\u061c.jpg", true),
		urls("path_too_many_bytes", "/private/users/alice/"+strings.Repeat("é", 600), true),
		{"get_url_dot_dot", "GET", "/v1/signed-url?path=/private/users/alice/../bob/a.jpg",
			"", a, 400, false},
		{"cookies_star_in_segment", "POST", "/v1/signed-cookies",
			`{"path":"/private/users/alice/a*"}`, a, 400, false},
		{"cookies_dot_dot", "POST", "/v1/signed-cookies",
			`{"path":"/private/users/alice/../*"}`, a, 400, false},
	}
}

// badBodyCalls send bodies, queries and TTLs the server refuses with 400
// or 413.
func badBodyCalls(tk contractTokens) []call {
	a := bearer(tk.alice)
	urls := func(name, body string, status int, conforms bool) call {
		return call{name, "POST", "/v1/signed-urls", body, a, status, conforms}
	}
	long := "/private/users/alice/" + strings.Repeat("a", 700)
	return []call{
		urls("ttl_not_duration", `{"paths":["`+alicePath+`"],"ttl":"soon"}`, 400, false),
		urls("ttl_above_max", `{"paths":["`+alicePath+`"],"ttl":"25h"}`, 400, true),
		urls("ttl_below_second", `{"paths":["`+alicePath+`"],"ttl":"500ms"}`, 400, true),
		urls("ttl_zero", `{"paths":["`+alicePath+`"],"ttl":"0s"}`, 400, true),
		urls("batch_over_max", pathsBody(101, alicePath), 400, false),
		urls("batch_empty", `{"paths":[]}`, 400, false),
		urls("paths_missing", `{}`, 400, false),
		urls("paths_null", `{"paths":null}`, 400, false),
		urls("paths_not_array", `{"paths":"`+alicePath+`"}`, 400, false),
		urls("unknown_field", `{"paths":["`+alicePath+`"],"admin":true}`, 400, false),
		urls("not_json", `paths=/a`, 400, false),
		urls("body_missing", ``, 400, false),
		// 100 paths of 721 bytes: well-formed, but over 64 KiB.
		urls("body_over_limit", pathsBody(100, long), 413, true),
		urls("duplicate_field", `{"paths":["`+alicePath+`"],"paths":["`+alicePath+`"]}`,
			400, true),
		{"text_body", "POST", "/v1/signed-urls", pathsBody(1, alicePath),
			append(a, "Content-Type", "text/plain"), 415, false},
		{"cookies_unknown_field", "POST", "/v1/signed-cookies", `{"paths":["/a"]}`,
			a, 400, false},
		{"cookies_body_over_limit", "POST", "/v1/signed-cookies",
			`{"path":"/` + strings.Repeat("a", 70<<10) + `"}`, a, 413, false},
		{"get_url_no_path", "GET", "/v1/signed-url", "", a, 400, false},
		// The validator reads only the first of repeated query values;
		// the server wants exactly one.
		{"get_url_two_paths", "GET", "/v1/signed-url?path=" + alicePath + "&path=" + alicePath,
			"", a, 400, true},
	}
}

// authCalls are refused for their token or their grants.
func authCalls(tk contractTokens) []call {
	body := pathsBody(1, alicePath)
	urls := func(name string, header []string, status int, conforms bool) call {
		return call{name, "POST", "/v1/signed-urls", body, header, status, conforms}
	}
	bob := `{"paths":["/private/users/bob/a.jpg"]}`
	return []call{
		urls("token_missing", nil, 401, false),
		urls("token_garbage", bearer("not-a-jwt"), 401, true),
		urls("token_expired", bearer(tk.expired), 401, true),
		urls("token_forged", bearer(tk.forged), 401, true),
		urls("token_forged_allowed_origin", append(bearer(tk.forged), "Origin", origin),
			401, true),
		urls("basic_scheme", []string{"Authorization", "Basic YWxpY2U6cHc="}, 401, false),
		{"get_url_token_missing", "GET", "/v1/signed-url?path=" + alicePath, "",
			nil, 401, false},
		{"cookies_token_expired", "POST", "/v1/signed-cookies", "",
			bearer(tk.expired), 401, true},
		{"delete_token_forged", "DELETE", "/v1/signed-cookies", "",
			bearer(tk.forged), 401, true},
		{"delete_token_missing", "DELETE", "/v1/signed-cookies", "", nil, 401, false},
		{"urls_other_user", "POST", "/v1/signed-urls", bob, bearer(tk.alice), 403, true},
		{"get_url_other_user", "GET", "/v1/signed-url?path=/private/users/bob/a.jpg", "",
			bearer(tk.alice), 403, true},
		{"cookies_other_user", "POST", "/v1/signed-cookies", `{"path":"/private/users/bob/*"}`,
			bearer(tk.alice), 403, true},
		{"cookies_no_grants", "POST", "/v1/signed-cookies", "", bearer(tk.noGrants), 403, true},
	}
}

// unroutedCalls ask for what the document does not describe.
func unroutedCalls(tk contractTokens) []call {
	a := bearer(tk.alice)
	return []call{
		{"unknown_path", "GET", "/v2/signed-urls", "", a, 404, false},
		{"put_signed_urls", "PUT", "/v1/signed-urls", pathsBody(1, alicePath), a, 405, false},
		{"get_signed_urls", "GET", "/v1/signed-urls", "", a, 405, false},
		{"delete_signed_url", "DELETE", "/v1/signed-url", "", a, 405, false},
		{"post_healthz", "POST", "/healthz", "", nil, 405, false},
		{"head_metrics", "HEAD", "/metrics", "", nil, 405, false},
	}
}

// TestOpenAPIContract sends every kind of request through the real router,
// once at the root and once under a base path, and holds each request and
// response to docs/openapi.yaml.
func TestOpenAPIContract(t *testing.T) {
	doc := loadOpenAPI(t)
	tk := newContractTokens(t, doc)
	var calls []call
	for _, f := range []func(contractTokens) []call{
		successCalls, badPathCalls, badBodyCalls, authCalls, unroutedCalls,
	} {
		calls = append(calls, f(tk)...)
	}
	for _, d := range []struct {
		name string
		opts serverOpts
	}{
		{"root_ecdsa_sha256", serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256}},
		{"base_path_rsa_sha1", serverOpts{keyType: cfsign.RSA, hash: cfsign.SHA1,
			basePath: "/edgepass"}},
	} {
		d.opts.tokenCookie = tk.cookie
		d.opts.origins = []string{origin}
		k := newContract(t, newServer(t, d.opts).handler, d.opts.basePath)
		for _, c := range calls {
			t.Run(d.name+"/"+c.name, func(t *testing.T) { k.exchange(t, c) })
		}
	}
}

// notReady is an authenticator whose keys have not loaded yet.
type notReady struct{}

func (notReady) Authenticate(context.Context, string) (*auth.Principal, error) {
	return nil, auth.ErrInvalidToken
}

func (notReady) AuthenticateExpired(context.Context, string) (*auth.Principal, error) {
	return nil, auth.ErrInvalidToken
}

func (notReady) Ready() bool { return false }

func TestOpenAPINotReady(t *testing.T) {
	h := httpapi.New(httpapi.Options{Auth: notReady{}})
	k := newContract(t, h, "")
	for _, m := range []string{"GET", "HEAD"} {
		t.Run(m, func(t *testing.T) {
			k.exchange(t, call{name: "readyz", method: m, target: "/readyz", status: 503,
				conforms: true})
		})
	}
}

// TestOpenAPIRoutes checks that the document describes exactly the routes
// the server registers, and that each described path refuses every other
// method with 405.
func TestOpenAPIRoutes(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	engine, ok := s.handler.(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T, want *gin.Engine to list its routes", s.handler)
	}
	k := newContract(t, s.handler, "")
	var documented, served []string
	for path, item := range k.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	for _, r := range engine.Routes() {
		served = append(served, r.Method+" "+r.Path)
	}
	for _, op := range documented {
		if !slices.ContainsFunc(served, func(route string) bool { return serves(route, op) }) {
			t.Errorf("the document describes %s; the server has no such route", op)
		}
	}
	for _, route := range served {
		if !slices.ContainsFunc(documented, func(op string) bool { return serves(route, op) }) {
			t.Errorf("the server routes %s; the document does not describe it", route)
		}
	}
	for path, item := range k.doc.Paths.Map() {
		probeMethods(t, k, path, item)
	}
}

// serves reports whether a gin route ("OPTIONS /v1/*any") serves the
// documented operation op ("OPTIONS /v1/signed-url").
func serves(route, op string) bool {
	if prefix, _, wild := strings.Cut(route, "*"); wild {
		return strings.HasPrefix(op, prefix)
	}
	return route == op
}

// probeMethods sends every standard method to path: a documented one
// must reach its handler, any other must be refused as the document says.
func probeMethods(t *testing.T, k contract, path string, item *openapi3.PathItem) {
	t.Helper()
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		t.Run(strings.TrimPrefix(path, "/")+"/"+m, func(t *testing.T) {
			if item.GetOperation(m) == nil {
				k.exchange(t, call{method: m, target: path, status: 405})
				return
			}
			w := httptest.NewRecorder()
			k.handler.ServeHTTP(w, httptest.NewRequest(m, path, nil))
			if w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
				t.Errorf("%s %s = %d, want it served", m, path, w.Code)
			}
		})
	}
}

// TestOpenAPIDocument checks conventions the whole document keeps.
func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
			for status, ref := range op.Responses.Map() {
				code, _ := strconv.Atoi(status)
				if path == "/readyz" {
					code = 0 // a readiness probe reports a state, not a problem
				}
				checkResponseConventions(t, method+" "+path+" "+status, code, ref.Value)
			}
		}
	}
	for name, ref := range doc.Components.Responses {
		status := http.StatusBadRequest
		if name == "Preflight" {
			status = http.StatusNoContent
		}
		checkResponseConventions(t, "components.responses."+name, status, ref.Value)
	}
}

// checkResponseConventions requires X-Request-Id on every response and a
// problem+json body on every error.
func checkResponseConventions(t *testing.T, where string, status int,
	r *openapi3.Response) {
	t.Helper()
	if h := r.Headers["X-Request-Id"]; h == nil || !h.Value.Required {
		t.Errorf("%s: X-Request-Id is not a required header", where)
	}
	problem := len(r.Content) == 1 && r.Content["application/problem+json"] != nil
	if status >= http.StatusBadRequest && !problem {
		t.Errorf("%s: an error must be application/problem+json only, have %v",
			where, slices.Sorted(maps.Keys(r.Content)))
	}
}
