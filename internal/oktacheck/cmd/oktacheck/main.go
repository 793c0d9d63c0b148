// Command oktacheck checks, in seconds, whether the okta receiver could collect an org's System Log with a
// given endpoint and credential, and prints one plain line per check with the fix for each failure: DNS,
// proxy, TCP and TLS; whether Okta accepts the credential and lets it read the System Log; how much of the
// org's rate limit is in use; whether this host's clock is close to Okta's; the newest events; and what else
// the credential may do (a line beginning OVER-PRIVILEGED: when it can change the org). It exits 0 only when
// collection would work, 1 when it would not, and, with --fail-on-privilege, 3 when it would but the
// credential can do more than read the System Log.
//
// Usage:
//
//	OKTA_API_TOKEN=… oktacheck --endpoint example.okta.com
//	oktacheck --endpoint example.okta.com --api-token-file /var/run/secrets/okta/acme-token
//	oktacheck --endpoint example.okta.com --client-id 0oa… --private-key-file app.pem [--key-id …] [--dpop]
//
// The API token comes from the environment variable OKTA_API_TOKEN (or a file), never from a flag: a flag
// would land in the shell's history and in the process list. No credential is ever printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/oktacheck"
)

// Exit statuses.
const (
	exitWorks = 0
	exitFails = 1
	exitUsage = 2
	// exitPrivilege is --fail-on-privilege's: collection would work, with a credential that can change the org.
	exitPrivilege = 3
	tokenEnvName  = "OKTA_API_TOKEN" //nolint:gosec // the name of the environment variable that holds the token, not a token
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the command: args without the program name, getenv for OKTA_API_TOKEN.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	opts, failOnPrivilege, err := parse(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitWorks
	}
	if err != nil {
		fmt.Fprintln(stderr, "oktacheck:", err)
		return exitUsage
	}
	report := oktacheck.Run(ctx, opts)
	if err := report.Write(stdout); err != nil {
		fmt.Fprintln(stderr, "oktacheck:", err)
		return exitFails
	}
	switch {
	case !report.Works():
		return exitFails
	case failOnPrivilege && report.OverPrivileged():
		return exitPrivilege
	}
	return exitWorks
}

// tokenFlags are names someone might try for the token: refused with a word on why.
var tokenFlags = []string{"token", "api-token", "api_token", "okta-api-token"}

// parse reads the flags: the options, and whether an over-privileged credential fails the check.
func parse(args []string, getenv func(string) string, stderr io.Writer) (oktacheck.Options, bool, error) {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && contains(tokenFlags, name) {
			return oktacheck.Options{}, false, fmt.Errorf("the API token is never a flag (it would land in the shell's history and the process list): export %s, or use --api-token-file", tokenEnvName)
		}
	}
	var (
		o                        oktacheck.Options
		clientID, keyFile, keyID string
		scopes                   string
		dpop, failOnPrivilege    bool
	)
	fs := flag.NewFlagSet("oktacheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s=… oktacheck --endpoint example.okta.com [flags]\n"+
			"       oktacheck --endpoint example.okta.com --client-id ID --private-key-file FILE [--dpop] [flags]\n\n"+
			"Checks whether the okta receiver could collect the org's System Log with this credential, and says\n"+
			"what to fix. Exits 0 only when collection would work (1 when it would not; with --fail-on-privilege, 3\n"+
			"when the credential can do more than read the System Log). The API token is read from %s.\n"+
			"Each flag is the receiver's configuration key of the same name.\n\n", tokenEnvName, tokenEnvName)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.Endpoint, "endpoint", "", "the org, as the receiver's `endpoint`: example.okta.com or https://example.okta.com (required)")
	fs.StringVar(&o.APITokenFile, "api-token-file", "", "a file holding the API token, as `api_token_file` (instead of "+tokenEnvName+")")
	fs.StringVar(&clientID, "client-id", "", "an OAuth service app's client ID, as `oauth.client_id` (instead of an API token)")
	fs.StringVar(&keyFile, "private-key-file", "", "the OAuth app's private key (PEM or JWK), as `oauth.private_key_file`")
	fs.StringVar(&keyID, "key-id", "", "the key's kid, as `oauth.key_id`, when the app has several keys")
	fs.StringVar(&scopes, "scopes", "", "the scopes to ask for, comma-separated, as `oauth.scopes` (default okta.logs.read)")
	fs.BoolVar(&dpop, "dpop", false, "the app requires DPoP, as `oauth.dpop`")
	fs.StringVar(&o.ProxyURL, "proxy-url", "", "the proxy, as `proxy_url` (default: HTTPS_PROXY, as the receiver)")
	fs.StringVar(&o.CAFile, "ca-file", "", "a CA certificate to trust besides the system's, as `tls.ca_file` (a TLS-inspecting proxy's)")
	fs.IntVar(&o.Events, "events", oktacheck.DefaultEvents, "how many of the newest events to show (1-1000)")
	fs.DurationVar(&o.Timeout, "timeout", oktacheck.DefaultTimeout, "how long to wait for each answer")
	fs.BoolVar(&failOnPrivilege, "fail-on-privilege", false, "exit 3 when collection would work but the credential can do more than read the System Log (a line beginning "+oktacheck.PrivilegePrefix+")")
	if err := fs.Parse(args); err != nil {
		return o, false, err
	}
	switch {
	case fs.NArg() > 0:
		return o, false, fmt.Errorf("unexpected arguments %q: every setting is a flag (see --help)", fs.Args())
	case o.Endpoint == "":
		return o, false, errors.New("--endpoint is required: your org's domain, e.g. --endpoint example.okta.com")
	case o.Events < 1 || o.Events > 1000:
		return o, false, fmt.Errorf("--events must be between 1 and 1000 (got %d)", o.Events)
	case o.Timeout <= 0:
		return o, false, fmt.Errorf("--timeout must be positive (got %s)", o.Timeout)
	}
	o.APIToken = getenv(tokenEnvName)
	if clientID != "" || keyFile != "" || keyID != "" || scopes != "" || dpop {
		cfg := &oauth.Config{ClientID: clientID, PrivateKeyFile: keyFile, KeyID: keyID, DPoP: dpop}
		for s := range strings.SplitSeq(scopes, ",") {
			if s = strings.TrimSpace(s); s != "" {
				cfg.Scopes = append(cfg.Scopes, s)
			}
		}
		o.OAuth = cfg
	}
	o.Now = time.Now
	return o, failOnPrivilege, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
