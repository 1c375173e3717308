package terraform_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// moduleDirs are the root and child modules whose variables and outputs
// must be typed and described.
var moduleDirs = []string{".", "examples/minimal", "examples/complete"}

func TestVariablesTypedAndDescribed(t *testing.T) {
	for _, dir := range moduleDirs {
		for _, b := range loadModule(t, dir).all("variable") {
			name := dir + ": variable " + b.Labels[0]
			if _, ok := b.Body.Attributes["type"]; !ok {
				t.Errorf("%s has no type", name)
				continue
			}
			if ty, _ := variableType(t, b); ty.HasDynamicTypes() {
				t.Errorf("%s has type %s, which admits any", name, ty.FriendlyName())
			}
			if !described(t, b) {
				t.Errorf("%s has no description", name)
			}
		}
	}
}

func TestOutputsDescribed(t *testing.T) {
	for _, dir := range moduleDirs {
		m := loadModule(t, dir)
		if len(m.all("output")) == 0 {
			t.Errorf("%s declares no outputs", dir)
		}
		for _, b := range m.all("output") {
			if !described(t, b) {
				t.Errorf("%s: output %s has no description", dir, b.Labels[0])
			}
		}
	}
}

func described(t *testing.T, b *hclsyntax.Block) bool {
	t.Helper()
	if _, ok := b.Body.Attributes["description"]; !ok {
		return false
	}
	return strings.TrimSpace(literal(t, b, "description").AsString()) != ""
}

// TestNumbersHaveRanges requires a validation block on every number
// variable and every object variable holding numbers.
func TestNumbersHaveRanges(t *testing.T) {
	for _, b := range loadModule(t, ".").all("variable") {
		ty, _ := variableType(t, b)
		hasNumber := ty == cty.Number
		if ty.IsObjectType() {
			for _, at := range ty.AttributeTypes() {
				hasNumber = hasNumber || at == cty.Number
			}
		}
		if hasNumber && len(children(b, "validation")) == 0 {
			t.Errorf("variable %s holds numbers but has no validation", b.Labels[0])
		}
	}
}

// accepts reports whether value (HCL source) passes every validation of
// variable b, as Terraform would check it.
func accepts(t *testing.T, b *hclsyntax.Block, value cty.Value) bool {
	t.Helper()
	vars := cty.ObjectVal(map[string]cty.Value{b.Labels[0]: asVariable(t, b, value)})
	for _, v := range children(b, "validation") {
		got, diags := eval(t, expr(t, v, "condition"), vars, "")
		if diags.HasErrors() {
			t.Fatalf("variable %s: condition: %s", b.Labels[0], diags.Error())
		}
		if got.IsNull() || !got.IsKnown() || got.False() {
			return false
		}
	}
	return true
}

func TestDefaultsPassValidation(t *testing.T) {
	for _, b := range loadModule(t, ".").all("variable") {
		if _, ok := b.Body.Attributes["default"]; !ok {
			t.Errorf("variable %s has no default; the module must plan with none given", b.Labels[0])
			continue
		}
		if !accepts(t, b, literal(t, b, "default")) {
			t.Errorf("variable %s: its default fails its own validation", b.Labels[0])
		}
	}
}

const (
	pemKey  = `"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+/=\n-----END PUBLIC KEY-----\n"`
	acmARN  = `"arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000003"`
	kmsARN  = `"arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000002"`
	wafARN  = `"arn:aws:wafv2:us-east-1:111111111111:global/webacl/edge/00000000-0000-0000-0000-000000000004"`
	sixKeys = `{ a = ` + pemKey + `, b = ` + pemKey + `, c = ` + pemKey + `, d = ` + pemKey +
		`, e = ` + pemKey + `, f = ` + pemKey + ` }`
)

func TestValidationRejectsBadValues(t *testing.T) {
	tests := []struct {
		name     string
		variable string
		value    string
		ok       bool
	}{
		{"name_upper", "name", `"Edgepass"`, false},
		{"name_ok", "name", `"media-cdn"`, true},
		{"bucket_upper", "bucket_name", `"My_Bucket"`, false},
		{"bucket_ok", "bucket_name", `"media.example.com"`, true},
		{"sse_unknown", "sse_algorithm", `"aws:kms:dsse"`, false},
		{"sse_kms", "sse_algorithm", `"aws:kms"`, true},
		{"kms_alias", "kms_key_arn", `"alias/mine"`, false},
		{"kms_ok", "kms_key_arn", kmsARN, true},
		{"kms_multi_region", "kms_key_arn",
			`"arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab"`, true},
		{"kms_multi_region_short", "kms_key_arn",
			`"arn:aws:kms:eu-west-1:111111111111:key/mrk-1234"`, false},
		{"kms_multi_region_upper", "kms_key_arn",
			`"arn:aws:kms:eu-west-1:111111111111:key/MRK-1234abcd12ab34cd56ef1234567890ab"`, false},
		{"kms_window_short", "kms_key_deletion_window_in_days", `6`, false},
		{"kms_window_long", "kms_key_deletion_window_in_days", `31`, false},
		{"kms_window_fraction", "kms_key_deletion_window_in_days", `7.5`, false},
		{"kms_window_ok", "kms_key_deletion_window_in_days", `7`, true},
		{"access_log_bucket_bad", "s3_access_logging", `{ target_bucket = "Logs!" }`, false},
		{"access_log_ok", "s3_access_logging", `{ target_bucket = "logs" }`, true},
		{"keys_six", "public_keys", sixKeys, false},
		{"keys_not_pem", "public_keys", `{ a = "ssh-ed25519 AAAA" }`, false},
		{"keys_private", "public_keys", `{ a = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----" }`, false},
		{"keys_bad_name", "public_keys", `{ "a b" = ` + pemKey + ` }`, false},
		{"keys_ok", "public_keys", `{ edgepass-2026-12 = ` + pemKey + ` }`, true},
		{"active_key_bad", "active_key_name", `"a/b"`, false},
		{"hash_md5", "signing_hash", `"md5"`, false},
		{"hash_sha1", "signing_hash", `"sha1"`, true},
		{"default_open", "default_behavior", `"open"`, false},
		{"default_public", "default_behavior", `"public"`, true},
		{"paths_relative", "private_paths", `["private/*"]`, false},
		{"paths_everything", "private_paths", `["/*"]`, false},
		{"paths_space", "private_paths", `["/my files/*"]`, false},
		{"paths_ok", "private_paths", `["/private/*", "/media/premium/*.mp4"]`, true},
		{"viewer_allow_all", "viewer_protocol_policy", `"allow-all"`, false},
		{"viewer_redirect", "viewer_protocol_policy", `"redirect-to-https"`, true},
		{"ttl_min_above_default", "cache_ttl", `{ min = 100, default = 50 }`, false},
		{"ttl_default_above_max", "cache_ttl", `{ default = 100, max = 50 }`, false},
		{"ttl_negative", "cache_ttl", `{ min = -1 }`, false},
		{"ttl_zero_max", "cache_ttl", `{ min = 0, default = 0, max = 0 }`, false},
		{"ttl_ok", "cache_ttl", `{ default = 3600, max = 86400 }`, true},
		{"cors_wildcard", "cors_allowed_origins", `["*"]`, false},
		{"cors_path", "cors_allowed_origins", `["https://app.example.com/"]`, false},
		{"cors_plain_http", "cors_allowed_origins", `["http://app.example.com"]`, false},
		{"cors_localhost", "cors_allowed_origins", `["http://localhost:3000"]`, true},
		{"cors_ok", "cors_allowed_origins", `["https://app.example.com"]`, true},
		{"cors_age_negative", "cors_max_age_seconds", `-1`, false},
		{"cors_age_long", "cors_max_age_seconds", `86401`, false},
		{"hsts_short", "hsts_max_age_seconds", `3600`, false},
		{"hsts_long", "hsts_max_age_seconds", `63072001`, false},
		{"alias_upper", "aliases", `["CDN.example.com"]`, false},
		{"alias_ok", "aliases", `["cdn.example.com"]`, true},
		{"alias_wildcard_first", "aliases", `["*.example.com", "cdn.example.com"]`, false},
		{"alias_wildcard_only", "aliases", `["*.example.com"]`, false},
		{"alias_wildcard_after", "aliases", `["cdn.example.com", "*.example.com"]`, true},
		{"acm_other_region", "acm_certificate_arn",
			`"arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000003"`, false},
		{"acm_ok", "acm_certificate_arn", acmARN, true},
		{"price_unknown", "price_class", `"PriceClass_300"`, false},
		{"price_all", "price_class", `"PriceClass_All"`, true},
		{"logging_bucket_name", "logging", `{ bucket = "logs" }`, false},
		{"logging_ok", "logging", `{ bucket = "logs.s3.amazonaws.com" }`, true},
		{"waf_regional", "web_acl_arn",
			`"arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/edge/00000000-0000-0000-0000-000000000004"`, false},
		{"waf_ok", "web_acl_arn", wafARN, true},
		{"geo_unknown_type", "geo_restriction", `{ type = "allow" }`, false},
		{"geo_list_without_codes", "geo_restriction", `{ type = "whitelist" }`, false},
		{"geo_none_with_codes", "geo_restriction", `{ type = "none", locations = ["US"] }`, false},
		{"geo_lower_case", "geo_restriction", `{ type = "whitelist", locations = ["us"] }`, false},
		{"geo_ok", "geo_restriction", `{ type = "blacklist", locations = ["KP", "IR"] }`, true},
		{"issuer_scheme", "issuer", `{ domain_name = "https://edgepass.example.com" }`, false},
		{"issuer_pattern", "issuer", `{ domain_name = "edgepass.example.com", path_pattern = "/edgepass" }`, false},
		{"issuer_ok", "issuer", `{ domain_name = "edgepass.example.com" }`, true},
	}
	m := loadModule(t, ".")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := m.one(t, "variable", tt.variable)
			if got := accepts(t, b, hclValue(t, tt.value)); got != tt.ok {
				t.Errorf("validate %s = %s: accepted %v, want %v", tt.variable, tt.value, got, tt.ok)
			}
		})
	}
}
