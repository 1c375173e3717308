package terraform_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// behaviors returns the content blocks of the distribution's dynamic
// ordered_cache_behavior blocks, keyed by what their for_each iterates.
func behaviors(t *testing.T, d *hclsyntax.Block) map[string]*hclsyntax.Block {
	t.Helper()
	out := map[string]*hclsyntax.Block{}
	for _, dyn := range dynamics(d, "ordered_cache_behavior") {
		key := ref(expr(t, dyn, "for_each"))
		if c, ok := expr(t, dyn, "for_each").(*hclsyntax.ConditionalExpr); ok {
			if op, ok := c.Condition.(*hclsyntax.BinaryOpExpr); ok {
				key = ref(op.LHS)
			}
		}
		out[key] = child(t, dyn, "content")
	}
	if len(children(d, "ordered_cache_behavior")) != 0 {
		t.Errorf("static ordered_cache_behavior blocks bypass the checked dynamic ones")
	}
	return out
}

// TestPrivateBehaviorsNeedKeyGroupAndHTTPS requires https-only, never
// redirect-to-https, wherever a signature is required: a signed query
// string or CloudFront-* cookies must not cross plain HTTP on the way to
// a redirect.
func TestPrivateBehaviorsNeedKeyGroupAndHTTPS(t *testing.T) {
	m := loadModule(t, ".")
	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	ordered := behaviors(t, d)
	private, ok := ordered["var.private_paths"]
	if !ok {
		t.Fatalf("no ordered_cache_behavior iterates var.private_paths")
	}
	if got := refs(expr(t, private, "trusted_key_groups")); !slices.Equal(got, []string{keyGroupID}) {
		t.Errorf("private trusted_key_groups = %q, want [%s]", got, keyGroupID)
	}
	if got := ref(expr(t, private, "cache_policy_id")); got != cachePolicy {
		t.Errorf("private cache_policy_id = %q, want %s", got, cachePolicy)
	}
	for key, b := range ordered {
		if _, signed := b.Body.Attributes["trusted_key_groups"]; !signed {
			continue
		}
		if got := literal(t, b, "viewer_protocol_policy").AsString(); got != "https-only" {
			t.Errorf("ordered behavior over %s: viewer_protocol_policy = %q, want https-only", key, got)
		}
	}

	// The default behavior trusts the key group exactly when private, and
	// is then https-only whatever viewer_protocol_policy says.
	def := child(t, d, "default_cache_behavior")
	tests := []struct {
		mode, viewer string
		keyGroups    []string
		want         string
	}{
		{"private", "https-only", []string{"KG-1"}, "https-only"},
		{"private", "redirect-to-https", []string{"KG-1"}, "https-only"},
		{"public", "https-only", nil, "https-only"},
		{"public", "redirect-to-https", nil, "redirect-to-https"},
	}
	for _, tt := range tests {
		vars := m.vars(t, map[string]string{
			"default_behavior":       `"` + tt.mode + `"`,
			"viewer_protocol_policy": `"` + tt.viewer + `"`,
		})
		v, diags := eval(t, expr(t, def, "trusted_key_groups"), vars, world)
		if diags.HasErrors() {
			t.Fatalf("default trusted_key_groups: %s", diags.Error())
		}
		var got []string
		if v.LengthInt() > 0 {
			got = stringList(t, v)
		}
		if !slices.Equal(got, tt.keyGroups) {
			t.Errorf("default trusted_key_groups (%s) = %q, want %q", tt.mode, got, tt.keyGroups)
		}
		p, diags := eval(t, expr(t, def, "viewer_protocol_policy"), vars, world)
		if diags.HasErrors() {
			t.Fatalf("default viewer_protocol_policy: %s", diags.Error())
		}
		if got := p.AsString(); got != tt.want {
			t.Errorf("default viewer_protocol_policy (%s, %s) = %q, want %q",
				tt.mode, tt.viewer, got, tt.want)
		}
	}
}

func TestS3BehaviorsForwardNothing(t *testing.T) {
	m := loadModule(t, ".")
	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	s3 := []*hclsyntax.Block{child(t, d, "default_cache_behavior")}
	for _, b := range behaviors(t, d) {
		if ref(expr(t, b, "target_origin_id")) == "local.s3_origin_id" {
			s3 = append(s3, b)
		}
	}
	if len(s3) != 2 {
		t.Fatalf("found %d behaviors on the S3 origin, want 2", len(s3))
	}
	for _, b := range s3 {
		for _, name := range []string{"origin_request_policy_id", "forwarded_values"} {
			if _, ok := b.Body.Attributes[name]; ok {
				t.Errorf("S3 behavior sets %s", name)
			}
		}
		if len(children(b, "forwarded_values")) != 0 {
			t.Errorf("S3 behavior has a legacy forwarded_values block")
		}
		if got := ref(expr(t, b, "cache_policy_id")); got != cachePolicy {
			t.Errorf("S3 behavior cache_policy_id = %q, want %s", got, cachePolicy)
		}
	}
	if n := len(m.all("resource", "aws_cloudfront_origin_request_policy")); n != 0 {
		t.Errorf("module defines %d origin request policies, want none", n)
	}
}

func TestCachePolicyKeepsRequestOutOfKey(t *testing.T) {
	p := loadModule(t, ".").one(t, "resource", "aws_cloudfront_cache_policy", "this")
	params := child(t, p, "parameters_in_cache_key_and_forwarded_to_origin")
	for block, attr := range map[string]string{
		"cookies_config":       "cookie_behavior",
		"headers_config":       "header_behavior",
		"query_strings_config": "query_string_behavior",
	} {
		c := child(t, params, block)
		if got := literal(t, c, attr).AsString(); got != "none" {
			t.Errorf("%s.%s = %q, want none", block, attr, got)
		}
		if len(c.Body.Blocks) != 0 {
			t.Errorf("%s lists items", block)
		}
	}
	for _, name := range []string{"enable_accept_encoding_gzip", "enable_accept_encoding_brotli"} {
		if got := literal(t, params, name); !got.RawEquals(cty.True) {
			t.Errorf("%s = %#v, want true", name, got)
		}
	}
	for attr, want := range map[string]string{
		"min_ttl": "var.cache_ttl.min", "default_ttl": "var.cache_ttl.default", "max_ttl": "var.cache_ttl.max",
	} {
		if got := ref(expr(t, p, attr)); got != want {
			t.Errorf("%s = %q, want %s", attr, got, want)
		}
	}
}

// assertSecurityHeaders checks the security headers of response headers
// policy p: HSTS for var.hsts_max_age_seconds with subdomains and not
// preloaded, nosniff, DENY framing and a strict referrer policy, each
// overriding what the origin sends.
func assertSecurityHeaders(t *testing.T, p *hclsyntax.Block) {
	t.Helper()
	name := p.Labels[1]
	sec := child(t, p, "security_headers_config")
	for _, h := range []string{
		"strict_transport_security", "content_type_options", "frame_options", "referrer_policy",
	} {
		if got := literal(t, child(t, sec, h), "override"); !got.RawEquals(cty.True) {
			t.Errorf("%s: %s override = %#v, want true", name, h, got)
		}
	}
	hsts := child(t, sec, "strict_transport_security")
	if got := ref(expr(t, hsts, "access_control_max_age_sec")); got != "var.hsts_max_age_seconds" {
		t.Errorf("%s: HSTS max-age = %q, want var.hsts_max_age_seconds", name, got)
	}
	hstsFlags := map[string]cty.Value{"include_subdomains": cty.True, "preload": cty.False}
	for attr, want := range hstsFlags {
		if got := literal(t, hsts, attr); !got.RawEquals(want) {
			t.Errorf("%s: HSTS %s = %#v, want %#v", name, attr, got, want)
		}
	}
	for block, attr := range map[string][2]string{
		"frame_options":   {"frame_option", "DENY"},
		"referrer_policy": {"referrer_policy", "strict-origin-when-cross-origin"},
	} {
		if got := literal(t, child(t, sec, block), attr[0]).AsString(); got != attr[1] {
			t.Errorf("%s: %s = %q, want %q", name, attr[0], got, attr[1])
		}
	}
}

func TestResponseHeadersPolicy(t *testing.T) {
	p := loadModule(t, ".").one(t, "resource", "aws_cloudfront_response_headers_policy", "this")
	assertSecurityHeaders(t, p)

	dyn := dynamics(p, "cors_config")
	if len(dyn) != 1 {
		t.Fatalf("found %d dynamic cors_config blocks, want 1", len(dyn))
	}
	cors := child(t, dyn[0], "content")
	if got := literal(t, cors, "access_control_allow_credentials"); !got.RawEquals(cty.True) {
		t.Errorf("access_control_allow_credentials = %#v, want true", got)
	}
	origins := child(t, cors, "access_control_allow_origins")
	if got := ref(expr(t, origins, "items")); got != "cors_config.value" {
		t.Errorf("allowed origins = %q, want the cors_allowed_origins iteration", got)
	}
	// CORS headers appear only when origins are configured, and then
	// list exactly those origins.
	for src, want := range map[string]int{`[]`: 0, `["https://app.example.com"]`: 1} {
		vars := loadModule(t, ".").vars(t, map[string]string{"cors_allowed_origins": src})
		v, diags := eval(t, expr(t, dyn[0], "for_each"), vars, world)
		if diags.HasErrors() {
			t.Fatalf("cors_config for_each: %s", diags.Error())
		}
		if v.LengthInt() != want {
			t.Errorf("cors_config blocks for %s = %d, want %d", src, v.LengthInt(), want)
		}
		if want == 1 && !v.Index(cty.NumberIntVal(0)).RawEquals(vars.GetAttr("cors_allowed_origins")) {
			t.Errorf("cors_config value = %#v, want the origins list", v)
		}
	}
}

func TestIssuerBehavior(t *testing.T) {
	m := loadModule(t, ".")
	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	dyn := dynamics(d, "ordered_cache_behavior")
	if len(dyn) != 2 {
		t.Fatalf("found %d dynamic ordered_cache_behavior blocks, want 2", len(dyn))
	}
	issuer := child(t, dyn[0], "content")
	if got := ref(expr(t, issuer, "target_origin_id")); got != "local.issuer_origin_id" {
		t.Fatalf("first ordered behavior targets %q, want the issuer (it must precede private paths)", got)
	}
	if got := literal(t, issuer, "viewer_protocol_policy").AsString(); got != "https-only" {
		t.Errorf("issuer viewer_protocol_policy = %q, want https-only", got)
	}
	if _, ok := issuer.Body.Attributes["trusted_key_groups"]; ok {
		t.Errorf("issuer behavior requires signatures; it must be reachable with a JWT alone")
	}

	// Security headers on the issuer's answers too, but no CloudFront CORS:
	// the service answers CORS itself, for its own methods and headers.
	const issuerHeaders = "aws_cloudfront_response_headers_policy.issuer[0].id"
	if got := ref(expr(t, issuer, "response_headers_policy_id")); got != issuerHeaders {
		t.Errorf("issuer response_headers_policy_id = %q, want %s", got, issuerHeaders)
	}
	p := m.one(t, "resource", "aws_cloudfront_response_headers_policy", "issuer")
	assertSecurityHeaders(t, p)
	if len(children(p, "cors_config"))+len(dynamics(p, "cors_config")) != 0 {
		t.Errorf("issuer response headers policy sets CORS; the service answers CORS itself")
	}
	for src, want := range map[string]int64{`null`: 0, `{ domain_name = "edgepass.example.com" }`: 1} {
		n, diags := eval(t, expr(t, p, "count"), m.vars(t, map[string]string{"issuer": src}), world)
		if diags.HasErrors() || !n.RawEquals(cty.NumberIntVal(want)) {
			t.Errorf("issuer response headers policy count (issuer = %s) = %#v, want %d %s",
				src, n, want, diags.Error())
		}
	}

	managed := map[string]string{
		"cache_policy_id":          "data.aws_cloudfront_cache_policy.caching_disabled[0].id",
		"origin_request_policy_id": "data.aws_cloudfront_origin_request_policy.all_viewer_except_host[0].id",
	}
	for attr, want := range managed {
		if got := ref(expr(t, issuer, attr)); got != want {
			t.Errorf("issuer %s = %q, want %s", attr, got, want)
		}
	}
	names := map[string]string{
		"aws_cloudfront_cache_policy":          "Managed-CachingDisabled",
		"aws_cloudfront_origin_request_policy": "Managed-AllViewerExceptHostHeader",
	}
	for typ, want := range names {
		for _, b := range m.all("data", typ) {
			if got := literal(t, b, "name").AsString(); got != want {
				t.Errorf("data %s %q name = %q, want %q", typ, b.Labels[1], got, want)
			}
		}
	}

	origins := dynamics(d, "origin")
	if len(origins) != 1 {
		t.Fatalf("found %d dynamic origin blocks, want 1", len(origins))
	}
	custom := child(t, child(t, origins[0], "content"), "custom_origin_config")
	if got := literal(t, custom, "origin_protocol_policy").AsString(); got != "https-only" {
		t.Errorf("issuer origin_protocol_policy = %q, want https-only", got)
	}
	if got := stringList(t, literal(t, custom, "origin_ssl_protocols")); !slices.Equal(got, []string{"TLSv1.2"}) {
		t.Errorf("issuer origin_ssl_protocols = %q, want [TLSv1.2]", got)
	}
}

func TestDistributionSettings(t *testing.T) {
	m := loadModule(t, ".")
	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	if got := literal(t, d, "http_version").AsString(); got != "http2and3" {
		t.Errorf("http_version = %q, want http2and3", got)
	}
	for attr, want := range map[string]string{
		"is_ipv6_enabled": "var.enable_ipv6",
		"price_class":     "var.price_class",
		"web_acl_id":      "var.web_acl_arn",
		"aliases":         "var.aliases",
	} {
		if got := ref(expr(t, d, attr)); got != want {
			t.Errorf("%s = %q, want %s", attr, got, want)
		}
	}
	geo := child(t, child(t, d, "restrictions"), "geo_restriction")
	if got := ref(expr(t, geo, "restriction_type")); got != "var.geo_restriction.type" {
		t.Errorf("restriction_type = %q, want var.geo_restriction.type", got)
	}
	if got := ref(expr(t, child(t, dynamics(d, "logging_config")[0], "content"), "bucket")); got != "logging_config.value.bucket" {
		t.Errorf("logging bucket = %q, want logging_config.value.bucket", got)
	}

	// With a certificate: SNI and TLSv1.2_2021 at least.
	cert := child(t, d, "viewer_certificate")
	vars := m.vars(t, map[string]string{
		"aliases":             `["cdn.example.com"]`,
		"acm_certificate_arn": `"arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000003"`,
	})
	for attr, want := range map[string]cty.Value{
		"minimum_protocol_version":       cty.StringVal("TLSv1.2_2021"),
		"ssl_support_method":             cty.StringVal("sni-only"),
		"cloudfront_default_certificate": cty.False,
	} {
		got, diags := eval(t, expr(t, cert, attr), vars, world)
		if diags.HasErrors() || !got.RawEquals(want) {
			t.Errorf("viewer_certificate.%s = %#v, want %#v %s", attr, got, want, diags.Error())
		}
	}
}

func TestIndexRewriteFunction(t *testing.T) {
	m := loadModule(t, ".")
	fn := m.one(t, "resource", "aws_cloudfront_function", "index_rewrite")
	if got := literal(t, fn, "runtime").AsString(); got != "cloudfront-js-2.0" {
		t.Errorf("runtime = %q, want cloudfront-js-2.0", got)
	}
	if got := countCondition(t, fn); got != "var.index_rewrite" {
		t.Errorf("function count depends on %q, want var.index_rewrite", got)
	}

	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("EDGEPASS_REQUIRE_TOOLS") != "" {
			t.Fatalf("node is required to run the CloudFront function: %v", err)
		}
		t.Skip("node not installed; the function code was not run")
	}
	code, err := os.ReadFile(filepath.Join("functions", "index-rewrite.js"))
	if err != nil {
		t.Fatalf("read function: %v", err)
	}
	harness := string(code) + `
for (const uri of process.argv.slice(1)) {
  console.log(handler({request: {uri: uri}}).uri);
}`
	tests := map[string]string{
		"/":               "/index.html",
		"/docs/":          "/docs/index.html",
		"/docs/page.html": "/docs/page.html",
		"/private/a.jpg":  "/private/a.jpg",
	}
	for in, want := range tests {
		out, err := exec.Command(node, "-e", harness, in).Output()
		if err != nil {
			t.Fatalf("node: %v", err)
		}
		if got := string(out); got != want+"\n" {
			t.Errorf("handler(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyGroupPreconditions(t *testing.T) {
	m := loadModule(t, ".")
	kg := m.one(t, "resource", "aws_cloudfront_key_group", "this")
	conds := children(child(t, kg, "lifecycle"), "precondition")
	pem := `"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"`
	tests := []struct {
		name   string
		keys   string
		active string
		ok     bool
	}{
		{"one_key", `{ a = ` + pem + ` }`, "a", true},
		{"no_keys", `{}`, "", false},
		{"six_keys", `{ a = ` + pem + `, b = ` + pem + `, c = ` + pem + `, d = ` + pem +
			`, e = ` + pem + `, f = ` + pem + ` }`, "a", false},
		{"not_pem", `{ a = "ssh-ed25519 AAAA" }`, "a", false},
		{"private_key", `{ a = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }`, "a", false},
		{"unknown_active", `{ a = ` + pem + ` }`, "b", false},
		{"dotted_file_name", `{ "edge.2026" = ` + pem + ` }`, "edge.2026", false},
		{"dashed_file_name", `{ edge-2026_12 = ` + pem + ` }`, "edge-2026_12", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locals := `{ public_keys = ` + tt.keys + `, active_key = "` + tt.active + `" }`
			ok := true
			for _, p := range conds {
				v, diags := eval(t, expr(t, p, "condition"), m.vars(t, nil), `{ local = `+locals+` }`)
				if diags.HasErrors() {
					t.Fatalf("precondition: %s", diags.Error())
				}
				ok = ok && v.True()
			}
			if ok != tt.ok {
				t.Errorf("preconditions(%s) = %v, want %v", tt.name, ok, tt.ok)
			}
		})
	}
	if got := ref(expr(t, m.one(t, "resource", "aws_cloudfront_public_key", "this"), "for_each")); got != "local.public_keys" {
		t.Errorf("public keys for_each = %q, want local.public_keys", got)
	}
}

func TestPublicKeysFromDirectory(t *testing.T) {
	m := loadModule(t, ".")
	dir := t.TempDir()
	files := map[string]string{
		"edgepass-2026-06.pub.pem": "PEM-A",
		"edgepass-2026-12.pub.pem": "PEM-B",
		"edgepass-2026-12.pem":     "PRIVATE",
		"dev.pub.pem":              "PEM-DEV",
		"devices-2027.pub.pem":     "PEM-D",
		"notes.txt":                "x",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		overrides map[string]string
		want      map[string]string
	}{
		{"directory", map[string]string{"public_keys_dir": `"` + dir + `"`},
			map[string]string{"edgepass-2026-06": "PEM-A", "edgepass-2026-12": "PEM-B", "devices-2027": "PEM-D"}},
		{"map_overrides", map[string]string{"public_keys_dir": `"` + dir + `"`, "public_keys": `{ k = "PEM-C" }`},
			map[string]string{"k": "PEM-C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failed := m.locals(t, m.vars(t, tt.overrides), world)
			v, ok := got["public_keys"]
			if !ok {
				t.Fatalf("local.public_keys: %s", failed["public_keys"])
			}
			keys := map[string]string{}
			for k, pem := range v.AsValueMap() {
				keys[k] = pem.AsString()
			}
			if diff := cmp.Diff(tt.want, keys); diff != "" {
				t.Errorf("local.public_keys (-want +got):\n%s", diff)
			}
		})
	}

	// The default folder is the repository's keys/ beside the module.
	got, _ := m.locals(t, m.vars(t, nil), world)
	if dir := got["public_keys_dir"].AsString(); dir != "./../keys" {
		t.Errorf("default public_keys_dir = %q, want ./../keys", dir)
	}
}

func TestEdgepassConfigOutput(t *testing.T) {
	m := loadModule(t, ".")
	keys := `{ "edgepass-2026-06" = "PEM", "edgepass-2026-12" = "PEM" }`
	tests := []struct {
		name      string
		overrides map[string]string
		want      string
	}{
		{"defaults", map[string]string{"public_keys": keys}, `cdn:
  url: https://d111111abcdef8.cloudfront.net
signing:
  hash: sha256
  keys:
    - id: K2026DECEMBER
      private_key_file: keys/edgepass-2026-12.pem
    - id: K2026JUNE
      private_key_file: keys/edgepass-2026-06.pem
`},
		{"alias_issuer_active_key", map[string]string{
			"public_keys":         keys,
			"active_key_name":     `"edgepass-2026-06"`,
			"signing_hash":        `"sha1"`,
			"aliases":             `["cdn.example.com"]`,
			"acm_certificate_arn": `"arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000003"`,
			"issuer":              `{ domain_name = "edgepass.example.com", path_pattern = "/auth/edge/*" }`,
		}, `base_path: /auth/edge
cdn:
  url: https://cdn.example.com
signing:
  hash: sha1
  keys:
    - id: K2026JUNE
      private_key_file: keys/edgepass-2026-06.pem
    - id: K2026DECEMBER
      private_key_file: keys/edgepass-2026-12.pem
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failed := m.locals(t, m.vars(t, tt.overrides), world)
			v, ok := got["edgepass_config"]
			if !ok {
				t.Fatalf("local.edgepass_config: %s", failed["edgepass_config"])
			}
			if diff := cmp.Diff(tt.want, v.AsString()); diff != "" {
				t.Errorf("edgepass_config (-want +got):\n%s", diff)
			}
		})
	}
	out := m.one(t, "output", "edgepass_config")
	if got := ref(expr(t, out, "value")); got != "local.edgepass_config" {
		t.Errorf("output edgepass_config = %q, want local.edgepass_config", got)
	}
}

// failedPreconditions returns the error messages of the lifecycle
// preconditions of b that vars do not satisfy.
func failedPreconditions(t *testing.T, b *hclsyntax.Block, vars cty.Value) []string {
	t.Helper()
	var failed []string
	for _, p := range children(child(t, b, "lifecycle"), "precondition") {
		v, diags := eval(t, expr(t, p, "condition"), vars, world)
		if diags.HasErrors() {
			t.Fatalf("%s %q precondition: %s", b.Type, b.Labels, diags.Error())
		}
		if v.IsNull() || !v.IsKnown() || v.False() {
			failed = append(failed, literal(t, p, "error_message").AsString())
		}
	}
	return failed
}

func TestDistributionPreconditions(t *testing.T) {
	const issuer = `{ domain_name = "edgepass.example.com" }`
	m := loadModule(t, ".")
	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	tests := []struct {
		name      string
		overrides map[string]string
		ok        bool
	}{
		{"defaults", nil, true},
		{"alias_without_certificate", map[string]string{"aliases": `["cdn.example.com"]`}, false},
		{"alias_with_certificate", map[string]string{
			"aliases": `["cdn.example.com"]`, "acm_certificate_arn": acmARN,
		}, true},
		{"redirect_private_default", map[string]string{
			"viewer_protocol_policy": `"redirect-to-https"`,
		}, false},
		{"redirect_public_default", map[string]string{
			"viewer_protocol_policy": `"redirect-to-https"`, "default_behavior": `"public"`,
		}, true},
		{"private_path_is_issuer_path", map[string]string{
			"issuer": issuer, "private_paths": `["/private/*", "/edgepass/*"]`,
		}, false},
		{"private_path_under_issuer_path", map[string]string{
			"issuer": issuer, "private_paths": `["/edgepass/keys/*"]`,
		}, false},
		{"private_path_custom_issuer_path", map[string]string{
			"issuer":        `{ domain_name = "edgepass.example.com", path_pattern = "/auth/edge/*" }`,
			"private_paths": `["/auth/edge/*"]`,
		}, false},
		{"private_path_beside_issuer_path", map[string]string{
			"issuer": issuer, "private_paths": `["/edgepass-media/*", "/edge*"]`,
		}, true},
		{"issuer_path_without_issuer", map[string]string{"private_paths": `["/edgepass/*"]`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed := failedPreconditions(t, d, m.vars(t, tt.overrides))
			if ok := len(failed) == 0; ok != tt.ok {
				t.Errorf("preconditions(%v) pass = %v, want %v; failed: %q",
					tt.overrides, ok, tt.ok, failed)
			}
		})
	}
}
