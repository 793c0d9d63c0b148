package kubernetes

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// TestCollectorAcceptsEveryPodsConfiguration runs `otelcol-okta validate` (the binary in OTELCOL_OKTA,
// set by `make k8s-test`) on the files each pod reads, in the order it reads them, with the
// environment the pod gets (a placeholder for each Secret). The file_storage directory is pointed at a
// temporary one, as it does not exist on this machine; where it points in the pod is checked by Check.
func TestCollectorAcceptsEveryPodsConfiguration(t *testing.T) {
	bin := os.Getenv("OTELCOL_OKTA")
	if bin == "" {
		t.Fatal("OTELCOL_OKTA is not set: run this test with `make k8s-test`, which builds the distribution")
	}
	single, sharded := layouts(t)
	for _, m := range []*Manifests{single, sharded} {
		pods, err := m.Pods()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pods {
			t.Run(p.Name, func(t *testing.T) {
				dir := t.TempDir()
				var args []string
				args = append(args, "validate")
				for _, f := range p.ConfigFiles {
					local := filepath.Join(dir, filepath.FromSlash(f.Path))
					if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(local, []byte(f.Data), 0o600); err != nil {
						t.Fatal(err)
					}
					args = append(args, "--config="+local)
				}
				storage := sortedStrings(componentIDs(p.Config, "extensions", "file_storage"))
				if len(storage) == 0 {
					t.Fatal("no file_storage extension")
				}
				for _, id := range storage {
					args = append(args, "--config=yaml:extensions::"+id+"::directory: "+t.TempDir())
				}
				cmd := exec.Command(bin, args...)
				cmd.Env = environ(p.Env)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
				}
			})
		}
	}
}

// environ turns a pod's environment into exec's form, sorted.
func environ(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
