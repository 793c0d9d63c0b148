//go:build e2e

package e2e

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestExamplesValidate checks every collector configuration in testdata/examples with the built
// distribution, as a user would before deploying it.
func TestExamplesValidate(t *testing.T) {
	examples, err := filepath.Glob(filepath.Join("..", "..", "testdata", "examples", "*.yaml"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, ex := range examples {
		t.Run(filepath.Base(ex), func(t *testing.T) {
			cmd := exec.Command(binary(t, "OTELCOL_OKTA"), "validate", "--config", ex)
			cmd.Env = append(cmd.Environ(),
				"OKTA_ENDPOINT=example.okta.com", "OKTA_API_TOKEN=example-token", "OKTA_STORAGE_DIR="+t.TempDir(),
				"OKTA_CORP_TOKEN=example-token", "DATABLE_OTLP_ENDPOINT=https://otlp.example.com", "DATABLE_API_KEY=example-key", "OKTA_OAUTH_CLIENT_ID=0oaexample", "OKTA_OAUTH_KEY_FILE=/etc/otelcol/okta-service-app.pem")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s does not validate: %v\n%s", ex, err, out)
			}
		})
	}
}
