package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	shipped := filepath.Join("..", "..", "..", "samples", "catalog", "okta-event-types-2026.08.1.json")
	newer := filepath.Join(t.TempDir(), "newer.json")
	if err := os.WriteFile(newer, []byte(`{"release":"2027.01.0","versions":[{"eventTypes":[`+
		`{"id":"user.session.start","category":"passwordless","tags":["session"]},`+
		`{"id":"newproduct.widget.create","category":"new-product","tags":[]}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"the shipped catalog", []string{shipped}, 0, []string{"release 2026.08.1: 1274 types", "OCSF classes: 2004 Detection Finding", "all categorised"}, ""},
		{"every type listed", []string{"-v", shipped}, 0, []string{"authentication   user.session.start", "user.session.*", "ocsf 3002/1 Logon (user.session.*)", "all categorised"}, ""},
		{"a newer catalog", []string{newer}, 1, []string{"newproduct.widget.create  [area new-product]",
			"1 types have no row in the OCSF class table", "OCSF classes: 3002 Authentication 1, 6003 API Activity 1"}, ""},
		{"no catalog named", nil, 2, nil, "usage: oktacatalog"},
		{"a catalog that is missing", []string{filepath.Join(t.TempDir(), "missing.json")}, 2, nil, "no such file"},
		{"an unknown flag", []string{"-x", shipped}, 2, nil, "flag provided but not defined"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tt.code != 0 && strings.Contains(stdout.String(), "all categorised") {
				t.Errorf("says all categorised when it is not:\n%s", stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr lacks %q: %s", tt.stderr, stderr.String())
			}
		})
	}
}
