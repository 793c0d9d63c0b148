//go:build e2e

package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestValidateRefusesWhatCannotWork runs `otelcol-okta validate` on receiver settings that pass a type
// check but could never work: each is refused with the message that names the key and the fix, as the
// start would refuse it.
func TestValidateRefusesWhatCannotWork(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "public.pem")
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err := os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "token-fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, receiver, want string }{
		{"no timeout", "endpoint: example.okta.com\n    api_token: tok\n    timeout: 0s", "`timeout` is 0s, which means no timeout at all"},
		{"port out of range", "endpoint: example.okta.com:99999\n    api_token: tok", "has port 99999, which is not a TCP port (1 to 65535)"},
		{"token of two lines", "endpoint: example.okta.com\n    api_token: \"tok\\nen\"", "`api_token` has a line break inside it"},
		{"token file /dev/zero", "endpoint: example.okta.com\n    api_token_file: /dev/zero", "`api_token_file` /dev/zero is a device, not a regular file"},
		{"token file a named pipe", "endpoint: example.okta.com\n    api_token_file: " + fifo, "is a named pipe (FIFO), not a regular file"},
		{"public key", "endpoint: example.okta.com\n    oauth:\n      client_id: 0oaexample\n      private_key_file: " + pub, "this is a public key (PUBLIC KEY): the receiver needs the private key"},
		{"key_id with a control character", "endpoint: example.okta.com\n    oauth:\n      client_id: 0oaexample\n      private_key_file: /not/there.pem\n      key_id: \"kid\\u0007\"", "`key_id` contains a control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "config.yaml")
			yaml := "receivers:\n  okta:\n    " + tc.receiver + "\nexporters:\n  debug:\nservice:\n  pipelines:\n    logs:\n      receivers: [okta]\n      exporters: [debug]\n"
			if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(binary(t, "OTELCOL_OKTA"), "validate", "--config", cfg).CombinedOutput()
			if err == nil {
				t.Fatalf("validate accepted it:\n%s", yaml)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("validate says:\n%s\nwant it to say %q", out, tc.want)
			}
		})
	}
}
