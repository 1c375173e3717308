package terraform_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWithAWSProvider runs terraform itself with the real hashicorp/aws
// provider: `terraform validate` on the module and both examples, then
// `terraform test`, which plans and applies tests/*.tftest.hcl against a
// mocked provider (the real schema and argument checks, no AWS account).
// CI cannot download the provider, so the test runs only when
// EDGEPASS_TF_PLUGIN_DIR names a provider mirror: a folder laid out as
// registry.terraform.io/hashicorp/aws/<version>/<os_arch>/ (what
// `terraform providers mirror DIR` writes).
func TestWithAWSProvider(t *testing.T) {
	mirror := os.Getenv("EDGEPASS_TF_PLUGIN_DIR")
	if mirror == "" {
		t.Skip("EDGEPASS_TF_PLUGIN_DIR not set; terraform validate and terraform test need the AWS provider")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("EDGEPASS_TF_PLUGIN_DIR is set but terraform is not installed: %v", err)
	}
	mirror, err = filepath.Abs(mirror)
	if err != nil {
		t.Fatalf("mirror path: %v", err)
	}

	// A copy, so that init leaves nothing in the work tree; keys/ beside it
	// stands for the repository's (empty) keys folder.
	root := t.TempDir()
	copyModule(t, ".", filepath.Join(root, "terraform"))
	if err := os.Mkdir(filepath.Join(root, "keys"), 0o755); err != nil {
		t.Fatalf("mkdir keys: %v", err)
	}
	rc := filepath.Join(root, "terraformrc")
	config := `provider_installation {
  filesystem_mirror {
    path    = "` + filepath.ToSlash(mirror) + `"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		t.Fatalf("write CLI config: %v", err)
	}

	run := func(t *testing.T, dir string, args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, tf, append(args, "-no-color")...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+rc,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"TF_PLUGIN_CACHE_DIR=",
		)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
		}
	}

	dirs := map[string]string{
		"module":   ".",
		"minimal":  "examples/minimal",
		"complete": "examples/complete",
	}
	for name, dir := range dirs {
		t.Run("validate_"+name, func(t *testing.T) {
			d := filepath.Join(root, "terraform", dir)
			run(t, d, "init", "-backend=false", "-input=false")
			run(t, d, "validate")
		})
	}
	t.Run("test", func(t *testing.T) {
		run(t, filepath.Join(root, "terraform"), "test")
	})
}

// copyModule copies the module's Terraform sources (the .tf, .tftest.hcl
// and function files) from src to dst, leaving out state and .terraform.
func copyModule(t *testing.T, src, dst string) {
	t.Helper()
	fsys := os.DirFS(src)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(path))
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return fs.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".tf") && !strings.HasSuffix(name, ".tftest.hcl") &&
			!strings.HasSuffix(name, ".js") {
			return nil
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatalf("copy module: %v", err)
	}
}
