package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/oktacheck"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

const token = "00aCommandTestToken-0123456789abcdefghij"

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestExitStatusSaysWhetherCollectionWouldWork(t *testing.T) {
	sim, err := oktasim.New(oktasim.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()

	code, out, errOut := runCmd(t, map[string]string{tokenEnvName: token}, "--endpoint", srv.URL, "--events", "3")
	if code != exitWorks || !strings.HasSuffix(out, "collection would work\n") || errOut != "" {
		t.Errorf("a good token: exit %d, stderr %q, output:\n%s", code, errOut, out)
	}
	code, out, _ = runCmd(t, map[string]string{tokenEnvName: "00aNotTheToken"}, "--endpoint", srv.URL)
	if code != exitFails || !strings.Contains(out, "FAIL  credential") {
		t.Errorf("a bad token: exit %d, output:\n%s", code, out)
	}
	if strings.Contains(out, "00aNotTheToken") {
		t.Errorf("the token was printed:\n%s", out)
	}
}

func TestUsage(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		frag string
	}{
		"a token flag":        {[]string{"--endpoint", "example.okta.com", "--token", token}, "never a flag"},
		"a token flag with =": {[]string{"--endpoint", "example.okta.com", "-api-token=" + token}, "export OKTA_API_TOKEN"},
		"no endpoint":         {nil, "--endpoint is required"},
		"too many events":     {[]string{"--endpoint", "example.okta.com", "--events", "1001"}, "between 1 and 1000"},
		"an argument":         {[]string{"--endpoint", "example.okta.com", "extra"}, "unexpected arguments"},
		"an unknown flag":     {[]string{"--endpoint", "example.okta.com", "--org", "x"}, "flag provided but not defined"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCmd(t, nil, tc.args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, tc.frag) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, exitUsage, tc.frag)
			}
			if strings.Contains(errOut, token) {
				t.Errorf("the token was printed: %q", errOut)
			}
		})
	}
}

func TestOAuthFlagsMakeAnOAuthApp(t *testing.T) {
	o, _, err := parse([]string{"--endpoint", "example.okta.com", "--client-id", "0oa1", "--private-key-file", "k.pem",
		"--key-id", "kid1", "--scopes", "okta.logs.read, okta.users.read", "--dpop"}, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	c := o.OAuth
	if c == nil || c.ClientID != "0oa1" || c.PrivateKeyFile != "k.pem" || c.KeyID != "kid1" || !c.DPoP ||
		len(c.Scopes) != 2 || c.Scopes[0] != "okta.logs.read" || c.Scopes[1] != "okta.users.read" {
		t.Fatalf("oauth = %+v", c)
	}
	if o.APIToken != "" {
		t.Errorf("an API token without OKTA_API_TOKEN: %q", o.APIToken)
	}
}

func TestFailOnPrivilege(t *testing.T) {
	admin := oktasim.DefaultAdmin()
	admin.Roles = []string{"SUPER_ADMIN"}
	sim, err := oktasim.New(oktasim.Options{Token: token, Admin: admin})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()
	env := map[string]string{tokenEnvName: token}

	code, out, _ := runCmd(t, env, "--endpoint", srv.URL)
	if code != exitWorks || !strings.Contains(out, oktacheck.PrivilegePrefix) {
		t.Errorf("without the flag: exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCmd(t, env, "--endpoint", srv.URL, "--fail-on-privilege")
	if code != exitPrivilege || !strings.HasSuffix(out, "collection would work\n") {
		t.Errorf("with the flag: exit %d, output:\n%s", code, out)
	}
	admin.Roles = []string{"READ_ONLY_ADMIN"}
	sim, err = oktasim.New(oktasim.Options{Token: token, Admin: admin})
	if err != nil {
		t.Fatal(err)
	}
	ro := httptest.NewServer(sim)
	defer ro.Close()
	if code, out, _ := runCmd(t, env, "--endpoint", ro.URL, "--fail-on-privilege"); code != exitWorks {
		t.Errorf("a read-only token with the flag: exit %d, output:\n%s", code, out)
	}
}
