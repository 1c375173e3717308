package terraform_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// world mocks the attributes of the resources and data sources the module
// reads, so that expressions and locals can be evaluated without AWS.
const world = `{
  path = { module = "." }
  aws_s3_bucket = { this = [{
    id = "created-bucket", arn = "arn:aws:s3:::created-bucket",
    bucket_regional_domain_name = "created-bucket.s3.us-east-1.amazonaws.com",
  }] }
  data = {
    aws_s3_bucket = { existing = [{
      id = "existing-bucket", arn = "arn:aws:s3:::existing-bucket",
      bucket_regional_domain_name = "existing-bucket.s3.eu-west-1.amazonaws.com",
    }] }
  }
  aws_kms_key = { this = [{
    arn = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000001",
  }] }
  aws_cloudfront_distribution = { this = {
    domain_name = "d111111abcdef8.cloudfront.net",
    arn = "arn:aws:cloudfront::111111111111:distribution/EDFDVBD6EXAMPLE",
  } }
  aws_cloudfront_key_group = { this = { id = "KG-1" } }
  aws_cloudfront_public_key = { this = {
    "edgepass-2026-06" = { id = "K2026JUNE" },
    "edgepass-2026-12" = { id = "K2026DECEMBER" },
  } }
}`

// evalModule evaluates e as the module would: with var, the module's
// locals and the mocked world.
func (m *module) evalModule(t *testing.T, e hcl.Expression, varObj cty.Value) (
	cty.Value, hcl.Diagnostics,
) {
	t.Helper()
	got, _ := m.locals(t, varObj, world)
	roots := hclValue(t, world).AsValueMap()
	roots["var"] = varObj
	roots["local"] = cty.ObjectVal(got)
	return e.Value(evalContext(roots))
}

const (
	distribution = "aws_cloudfront_distribution.this.arn"
	keyGroupID   = "aws_cloudfront_key_group.this.id"
	cachePolicy  = "aws_cloudfront_cache_policy.this.id"
)

func TestVersionsPinMinimums(t *testing.T) {
	m := loadModule(t, ".")
	tf := m.one(t, "terraform")
	if got := literal(t, tf, "required_version").AsString(); got != ">= 1.5" {
		t.Errorf("required_version = %q, want %q", got, ">= 1.5")
	}
	aws := literal(t, child(t, tf, "required_providers"), "aws").AsValueMap()
	if got := aws["source"].AsString(); got != "hashicorp/aws" {
		t.Errorf("aws source = %q, want %q", got, "hashicorp/aws")
	}
	if got := aws["version"].AsString(); got != ">= 5.31" {
		t.Errorf("aws version = %q, want %q (5.31 accepts the cloudfront-js-2.0 runtime)", got, ">= 5.31")
	}
}

func TestFilesCanonicallyFormatted(t *testing.T) {
	fsys := os.DirFS(".")
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() ||
			!strings.HasSuffix(path, ".tf") && !strings.HasSuffix(path, ".tftest.hcl") {
			return err
		}
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		if got := hclwrite.Format(src); string(got) != string(src) {
			t.Errorf("%s is not canonically formatted; run terraform fmt", path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
}

func TestBucketBlocksPublicAccess(t *testing.T) {
	b := loadModule(t, ".").one(t, "resource", "aws_s3_bucket_public_access_block", "this")
	for _, name := range []string{
		"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets",
	} {
		if got := literal(t, b, name); !got.RawEquals(cty.True) {
			t.Errorf("%s = %#v, want true", name, got)
		}
	}
}

// TestBucketSettingsApplyToOriginBucket checks that every per-bucket
// setting targets the created bucket, or the existing one when
// create_bucket is false.
func TestBucketSettingsApplyToOriginBucket(t *testing.T) {
	m := loadModule(t, ".")
	settings := []string{
		"aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
		"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
		"aws_s3_bucket_policy", "aws_s3_bucket_logging",
	}
	for _, typ := range settings {
		b := m.one(t, "resource", typ, "this")
		for create, want := range map[string]string{"true": "created-bucket", "false": "existing-bucket"} {
			vars := m.vars(t, map[string]string{
				"create_bucket": create, "bucket_name": `"existing-bucket"`,
				"s3_access_logging": `{ target_bucket = "logs" }`,
			})
			got, diags := eval(t, expr(t, b, "bucket"), vars, world)
			if diags.HasErrors() || got.IsNull() || got.AsString() != want {
				t.Errorf("%s bucket (create_bucket=%s) = %#v, want %q %s", typ, create, got, want, diags.Error())
			}
		}
	}
}

func TestBucketOwnershipVersioningEncryption(t *testing.T) {
	m := loadModule(t, ".")
	rule := child(t, m.one(t, "resource", "aws_s3_bucket_ownership_controls", "this"), "rule")
	if got := literal(t, rule, "object_ownership").AsString(); got != "BucketOwnerEnforced" {
		t.Errorf("object_ownership = %q, want BucketOwnerEnforced", got)
	}

	v := child(t, m.one(t, "resource", "aws_s3_bucket_versioning", "this"), "versioning_configuration")
	if got := literal(t, v, "status").AsString(); got != "Enabled" {
		t.Errorf("versioning status = %q, want Enabled", got)
	}

	sse := m.one(t, "resource", "aws_s3_bucket_server_side_encryption_configuration", "this")
	def := child(t, child(t, sse, "rule"), "apply_server_side_encryption_by_default")
	if got := ref(expr(t, def, "sse_algorithm")); got != "var.sse_algorithm" {
		t.Errorf("sse_algorithm = %q, want var.sse_algorithm", got)
	}
	if got := ref(expr(t, def, "kms_master_key_id")); got != "local.kms_key_arn" {
		t.Errorf("kms_master_key_id = %q, want local.kms_key_arn", got)
	}
}

func TestKMSKeySelection(t *testing.T) {
	m := loadModule(t, ".")
	given := "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000002"
	created := "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	tests := []struct {
		name      string
		overrides map[string]string
		create    bool
		keyARN    string
	}{
		{"sse_s3", nil, false, ""},
		{"sse_kms_created", map[string]string{"sse_algorithm": `"aws:kms"`}, true, created},
		{"sse_kms_given", map[string]string{
			"sse_algorithm": `"aws:kms"`, "kms_key_arn": `"` + given + `"`,
		}, false, given},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failed := m.locals(t, m.vars(t, tt.overrides), world)
			if got["create_kms_key"].True() != tt.create {
				t.Errorf("create_kms_key = %#v, want %v (%s)", got["create_kms_key"], tt.create, failed["create_kms_key"])
			}
			arn := got["kms_key_arn"]
			if tt.keyARN == "" {
				if !arn.IsNull() {
					t.Errorf("kms_key_arn = %#v, want null", arn)
				}
				return
			}
			if arn.IsNull() || arn.AsString() != tt.keyARN {
				t.Errorf("kms_key_arn = %#v, want %q", arn, tt.keyARN)
			}
		})
	}
}

// statement finds the policy document statement with the given sid.
func statement(t *testing.T, doc *hclsyntax.Block, sid string) *hclsyntax.Block {
	t.Helper()
	for _, s := range children(doc, "statement") {
		if literal(t, s, "sid").AsString() == sid {
			return s
		}
	}
	t.Fatalf("policy %q: no statement %q", doc.Labels, sid)
	return nil
}

// assertCloudFrontOnly checks that s allows exactly actions to the
// CloudFront service principal and only for this distribution.
func assertCloudFrontOnly(t *testing.T, s *hclsyntax.Block, actions []string) {
	t.Helper()
	if got := literal(t, s, "effect").AsString(); got != "Allow" {
		t.Errorf("effect = %q, want Allow", got)
	}
	if got := stringList(t, literal(t, s, "actions")); !slices.Equal(got, actions) {
		t.Errorf("actions = %q, want %q", got, actions)
	}
	p := child(t, s, "principals")
	if got := literal(t, p, "type").AsString(); got != "Service" {
		t.Errorf("principal type = %q, want Service", got)
	}
	ids := stringList(t, literal(t, p, "identifiers"))
	if want := []string{"cloudfront.amazonaws.com"}; !slices.Equal(ids, want) {
		t.Errorf("principal identifiers = %q, want %q", ids, want)
	}
	c := child(t, s, "condition")
	if got := literal(t, c, "test").AsString(); got != "StringEquals" {
		t.Errorf("condition test = %q, want StringEquals", got)
	}
	if got := literal(t, c, "variable").AsString(); got != "AWS:SourceArn" {
		t.Errorf("condition variable = %q, want AWS:SourceArn", got)
	}
	if got := refs(expr(t, c, "values")); !slices.Equal(got, []string{distribution}) {
		t.Errorf("condition values = %q, want [%s]", got, distribution)
	}
}

func TestBucketPolicyAdmitsOnlyThisDistributionOverTLS(t *testing.T) {
	m := loadModule(t, ".")
	doc := m.one(t, "data", "aws_iam_policy_document", "bucket")

	allows := 0
	for _, s := range children(doc, "statement") {
		if literal(t, s, "effect").AsString() == "Allow" {
			allows++
		}
	}
	if allows != 1 {
		t.Errorf("bucket policy has %d Allow statements, want 1", allows)
	}
	assertCloudFrontOnly(t, statement(t, doc, "AllowCloudFrontRead"), []string{"s3:GetObject"})

	deny := statement(t, doc, "DenyInsecureTransport")
	if got := literal(t, deny, "effect").AsString(); got != "Deny" {
		t.Errorf("TLS statement effect = %q, want Deny", got)
	}
	if got := stringList(t, literal(t, deny, "actions")); !slices.Equal(got, []string{"s3:*"}) {
		t.Errorf("TLS statement actions = %q, want [s3:*]", got)
	}
	dp := child(t, deny, "principals")
	if got := literal(t, dp, "type").AsString(); got != "*" {
		t.Errorf("TLS statement principal type = %q, want *", got)
	}
	if got := stringList(t, literal(t, dp, "identifiers")); !slices.Equal(got, []string{"*"}) {
		t.Errorf("TLS statement principal identifiers = %q, want [*]", got)
	}

	// CloudFront may read objects only, never list or read the bucket
	// itself; the TLS deny covers both the bucket and its objects.
	allow := statement(t, doc, "AllowCloudFrontRead")
	for _, create := range []string{"true", "false"} {
		vars := m.vars(t, map[string]string{"create_bucket": create, "bucket_name": `"existing-bucket"`})
		arn := "arn:aws:s3:::created-bucket"
		if create == "false" {
			arn = "arn:aws:s3:::existing-bucket"
		}
		for _, tt := range []struct {
			s    *hclsyntax.Block
			want []string
		}{
			{allow, []string{arn + "/*"}},
			{deny, []string{arn, arn + "/*"}},
		} {
			sid := literal(t, tt.s, "sid").AsString()
			v, diags := m.evalModule(t, expr(t, tt.s, "resources"), vars)
			if diags.HasErrors() {
				t.Fatalf("%s resources: %s", sid, diags.Error())
			}
			if got := stringList(t, v); !slices.Equal(got, tt.want) {
				t.Errorf("%s resources (create_bucket=%s) = %q, want %q", sid, create, got, tt.want)
			}
		}
	}

	c := child(t, deny, "condition")
	cond := []string{
		literal(t, c, "test").AsString(),
		literal(t, c, "variable").AsString(),
		strings.Join(stringList(t, literal(t, c, "values")), ","),
	}
	if want := []string{"Bool", "aws:SecureTransport", "false"}; !slices.Equal(cond, want) {
		t.Errorf("TLS condition = %q, want %q", cond, want)
	}

	pol := m.one(t, "resource", "aws_s3_bucket_policy", "this")
	if got := ref(expr(t, pol, "policy")); got != "data.aws_iam_policy_document.bucket.json" {
		t.Errorf("bucket policy = %q, want the bucket policy document", got)
	}
}

func TestKMSKeyPolicyAdmitsOnlyThisDistribution(t *testing.T) {
	m := loadModule(t, ".")
	doc := m.one(t, "data", "aws_iam_policy_document", "kms")
	assertCloudFrontOnly(t, statement(t, doc, "AllowCloudFrontDecrypt"), []string{"kms:Decrypt"})

	key := m.one(t, "resource", "aws_kms_key", "this")
	if got := ref(expr(t, key, "policy")); got != "data.aws_iam_policy_document.kms[0].json" {
		t.Errorf("kms key policy = %q, want the kms policy document", got)
	}
	if got := literal(t, key, "enable_key_rotation"); !got.RawEquals(cty.True) {
		t.Errorf("enable_key_rotation = %#v, want true", got)
	}
	for _, b := range []*hclsyntax.Block{key, doc} {
		if got := countCondition(t, b); got != "local.create_kms_key" {
			t.Errorf("%s %q count depends on %q, want local.create_kms_key", b.Type, b.Labels, got)
		}
	}
}

// TestKMSKeyPolicyStatementOutput checks the statement a key given as
// kms_key_arn needs: evaluated for SSE-S3, a created and a given key, it
// must grant what the created key's AllowCloudFrontDecrypt grants, to the
// CloudFront service principal only, on condition that AWS:SourceArn is
// this distribution.
func TestKMSKeyPolicyStatementOutput(t *testing.T) {
	m := loadModule(t, ".")
	out := m.one(t, "output", "kms_key_policy_statement")
	if got := ref(expr(t, out, "value")); got != "local.kms_key_policy_statement" {
		t.Fatalf("kms_key_policy_statement output = %q, want local.kms_key_policy_statement", got)
	}

	// The statement must not wait for kms_key_arn: a caller whose key's
	// policy takes it in and whose key ARN comes back as kms_key_arn would
	// make a dependency cycle.
	var localExpr hclsyntax.Expression
	for _, b := range m.all("locals") {
		if a, ok := b.Body.Attributes["kms_key_policy_statement"]; ok {
			localExpr = a.Expr
		}
	}
	if localExpr == nil {
		t.Fatal("no local kms_key_policy_statement")
	}
	for _, tr := range localExpr.Variables() {
		switch got := traversalString(tr); {
		case strings.HasPrefix(got, "var.kms_key_arn"), strings.HasPrefix(got, "local."),
			strings.HasPrefix(got, "aws_kms_key"), strings.HasPrefix(got, "data."):
			t.Errorf("kms_key_policy_statement reads %s; it may read only var.sse_algorithm and the distribution", got)
		}
	}

	// The grant the created key's policy makes, read from kms.tf.
	created := statement(t, m.one(t, "data", "aws_iam_policy_document", "kms"), "AllowCloudFrontDecrypt")
	cond := child(t, created, "condition")
	principal := child(t, created, "principals")
	arn := hclValue(t, world).GetAttr("aws_cloudfront_distribution").GetAttr("this").GetAttr("arn").AsString()
	want := map[string]any{
		"Sid":    literal(t, created, "sid").AsString(),
		"Effect": literal(t, created, "effect").AsString(),
		"Principal": map[string]any{
			literal(t, principal, "type").AsString(): anyList(stringList(t, literal(t, principal, "identifiers"))),
		},
		"Action":   anyList(stringList(t, literal(t, created, "actions"))),
		"Resource": "*",
		"Condition": map[string]any{
			literal(t, cond, "test").AsString(): map[string]any{
				literal(t, cond, "variable").AsString(): arn,
			},
		},
	}
	// The same, spelt out, so that the test fails if both lose it.
	must := map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": []any{"cloudfront.amazonaws.com"}},
		"Action":    []any{"kms:Decrypt"},
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": arn}},
	}

	given := `"arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000002"`
	for _, tt := range []struct {
		name      string
		overrides map[string]string
		present   bool
	}{
		{"sse_s3", nil, false},
		{"sse_s3_key_ignored", map[string]string{"kms_key_arn": given}, false},
		{"sse_kms_created", map[string]string{"sse_algorithm": `"aws:kms"`}, true},
		{"sse_kms_given", map[string]string{"sse_algorithm": `"aws:kms"`, "kms_key_arn": given}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, failed := m.locals(t, m.vars(t, tt.overrides), world)
			v, ok := got["kms_key_policy_statement"]
			if !ok {
				t.Fatalf("kms_key_policy_statement: %s", failed["kms_key_policy_statement"])
			}
			if !tt.present {
				if !v.IsNull() {
					t.Errorf("kms_key_policy_statement = %#v, want null", v)
				}
				return
			}
			if v.IsNull() || v.Type() != cty.String {
				t.Fatalf("kms_key_policy_statement = %#v, want a JSON string", v)
			}
			var stmt map[string]any
			if err := json.Unmarshal([]byte(v.AsString()), &stmt); err != nil {
				t.Fatalf("kms_key_policy_statement is not a JSON object: %v\n%s", err, v.AsString())
			}
			if diff := cmp.Diff(want, stmt); diff != "" {
				t.Errorf("statement differs from the created key's AllowCloudFrontDecrypt (-want +got):\n%s", diff)
			}
			for k, w := range must {
				if diff := cmp.Diff(w, stmt[k]); diff != "" {
					t.Errorf("statement %s (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}

// anyList converts strings to the []any encoding/json decodes arrays to.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func TestOriginAccessControlOnly(t *testing.T) {
	m := loadModule(t, ".")
	oac := m.one(t, "resource", "aws_cloudfront_origin_access_control", "this")
	for name, want := range map[string]string{
		"origin_access_control_origin_type": "s3",
		"signing_behavior":                  "always",
		"signing_protocol":                  "sigv4",
	} {
		if got := literal(t, oac, name).AsString(); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	for _, dir := range moduleDirs {
		for _, where := range legacyOAI(loadModule(t, dir)) {
			t.Errorf("%s: %s uses the legacy origin access identity", dir, where)
		}
	}

	d := m.one(t, "resource", "aws_cloudfront_distribution", "this")
	s3 := child(t, d, "origin")
	if got := ref(expr(t, s3, "origin_access_control_id")); got != "aws_cloudfront_origin_access_control.this.id" {
		t.Errorf("S3 origin access control = %q, want the module's OAC", got)
	}
	if len(children(s3, "s3_origin_config")) != 0 {
		t.Errorf("S3 origin has an s3_origin_config (origin access identity) block")
	}
}

// legacyOAI describes every trace of an origin access identity in m, at
// any depth: an aws_cloudfront_origin_access_identity block or reference,
// an s3_origin_config block (static or dynamic), or an
// origin_access_identity attribute or object key.
func legacyOAI(m *module) []string {
	const oai = "aws_cloudfront_origin_access_identity"
	var found []string
	for _, top := range m.blocks {
		where := top.Type + " " + strings.Join(top.Labels, ".")
		// The visitor returns no diagnostics, so VisitAll has none to pass on.
		_ = hclsyntax.VisitAll(top, func(n hclsyntax.Node) hcl.Diagnostics {
			at := where + " (" + n.Range().String() + ")"
			switch n := n.(type) {
			case *hclsyntax.Block:
				if slices.Contains(n.Labels, oai) || n.Type == "s3_origin_config" ||
					(n.Type == "dynamic" && slices.Contains(n.Labels, "s3_origin_config")) {
					found = append(found, at+": block "+n.Type+" "+strings.Join(n.Labels, " "))
				}
			case *hclsyntax.Attribute:
				if n.Name == "origin_access_identity" {
					found = append(found, at+": attribute "+n.Name)
				}
			case *hclsyntax.ObjectConsKeyExpr:
				if hcl.ExprAsKeyword(n.Wrapped) == "origin_access_identity" {
					found = append(found, at+": object key origin_access_identity")
				}
			case *hclsyntax.ScopeTraversalExpr:
				if strings.Contains(traversalString(n.Traversal), oai) {
					found = append(found, at+": reference "+traversalString(n.Traversal))
				}
			}
			return nil
		})
	}
	return found
}

// TestLegacyOAIFinder checks that legacyOAI finds an origin access
// identity wherever it hides, so that TestOriginAccessControlOnly
// passing means something.
func TestLegacyOAIFinder(t *testing.T) {
	tests := map[string]string{
		"resource": `resource "aws_cloudfront_origin_access_identity" "x" {}`,
		"reference": `locals {
  id = aws_cloudfront_origin_access_identity.x.cloudfront_access_identity_path
}`,
		"data_reference": `locals {
  id = data.aws_cloudfront_origin_access_identity.x.id
}`,
		"s3_origin_config": `resource "aws_cloudfront_distribution" "d" {
  origin {
    s3_origin_config {}
  }
}`,
		"dynamic_s3_origin_config": `resource "aws_cloudfront_distribution" "d" {
  dynamic "origin" {
    for_each = [1]
    content {
      dynamic "s3_origin_config" {
        for_each = [1]
        content {}
      }
    }
  }
}`,
		"attribute": `resource "null" "n" {
  origin_access_identity = "E1"
}`,
		"object_key": `locals {
  x = [{ origin_access_identity = "E1" }]
}`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if found := legacyOAI(loadModule(t, dir)); len(found) == 0 {
				t.Errorf("legacyOAI(%s) found nothing", name)
			}
		})
	}
	clean := loadModule(t, ".")
	if found := legacyOAI(clean); len(found) != 0 {
		t.Errorf("legacyOAI(module) = %q, want nothing", found)
	}
}

// countCondition renders the condition of a `count = cond ? 1 : 0`
// attribute.
func countCondition(t *testing.T, b *hclsyntax.Block) string {
	t.Helper()
	c, ok := expr(t, b, "count").(*hclsyntax.ConditionalExpr)
	if !ok {
		t.Fatalf("%s %q: count is not a conditional", b.Type, b.Labels)
	}
	return ref(c.Condition)
}
