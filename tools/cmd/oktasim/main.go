// Command oktasim runs the Okta System Log simulator (package oktasim) as a server: a backlog of
// generated events, a live stream with some events stored late, optional rate limits, TLS and
// faults. It is for `make run` and the end-to-end test; point the receiver's endpoint at the URL it
// prints and use its token.
//
// Usage:
//
//	oktasim [-addr 127.0.0.1:8080] [-token sim-token] [-backlog 5000] [-backlog-age 48h]
//	        [-rate 2] [-late 0.1] [-late-max 10m] [-rate-limit 0] [-max-concurrent 0]
//	        [-tls -tls-ca-file ca.pem] [-seed 1] [-join-links]
//	        [-fault-5xx 0] [-fault-truncate 0] [-fault-slow 0] [-fault-slow-delay 2s]
//	        [-oauth-client-id ID (-oauth-public-key-file FILE | -oauth-write-demo-key FILE) [-oauth-dpop]]
//
// With -oauth-client-id the simulator also registers an OAuth 2.0 service app with that client_id:
// POST /oauth2/v1/token issues access tokens for private_key_jwt client assertions signed with the key
// whose public half -oauth-public-key-file holds (PEM public or private key, certificate, or JWK), and
// /api/v1/logs accepts them besides the SSWS token. -oauth-dpop makes the app require DPoP. To try it
// without a key of your own, -oauth-write-demo-key PATH generates an EC P-256 key pair, registers its
// public half and writes the private key (PKCS#8 PEM, mode 0600) to PATH, e.g.
//
//	oktasim -oauth-client-id 0oasimdemo -oauth-write-demo-key /tmp/oktasim-oauth.pem -oauth-dpop
//
// then configure the receiver with `oauth: {client_id: 0oasimdemo, private_key_file:
// /tmp/oktasim-oauth.pem, dpop: true}`.
//
// On start it prints one line to stdout, e.g.
//
//	oktasim listening on http://127.0.0.1:8080 (token: sim-token)
//
// and serves until SIGINT or SIGTERM. The admin endpoints /sim/ledger, /sim/stats, /sim/faults and
// /sim/events are described in package oktasim.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// config is the parsed command line.
type config struct {
	addr           string
	token          string
	backlog        int
	backlogAge     time.Duration
	rate           float64
	late           float64
	lateMax        time.Duration
	rateLimit      int
	maxConcurrent  int
	tls            bool
	tlsCAFile      string
	seed           uint64
	joinLinks      bool
	fault5xx       float64
	faultTruncate  float64
	faultSlow      float64
	faultSlowDelay time.Duration
	oauthClientID  string
	oauthKeyFile   string
	oauthDemoKey   string
	oauthDPoP      bool
	adminRoles     string
}

// parseFlags reads the command line; errors (and -h) are reported on stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("oktasim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	fs.StringVar(&c.token, "token", "sim-token", "the API token the simulator accepts (SSWS); its own, not a real Okta token; empty disables auth")
	fs.IntVar(&c.backlog, "backlog", 5000, "number of events already in the org at start")
	fs.DurationVar(&c.backlogAge, "backlog-age", 48*time.Hour, "the backlog's published times span [now-age, now]")
	fs.Float64Var(&c.rate, "rate", 2, "live events added per second (0: none)")
	fs.Float64Var(&c.late, "late", 0.1, "fraction of live events stored late (published in the past)")
	fs.DurationVar(&c.lateMax, "late-max", 10*time.Minute, "how late a late event can be")
	fs.IntVar(&c.rateLimit, "rate-limit", 0, "logs requests allowed per minute (0: unlimited)")
	fs.IntVar(&c.maxConcurrent, "max-concurrent", 0, "requests allowed in flight (0: unlimited)")
	fs.BoolVar(&c.tls, "tls", false, "serve HTTPS with a self-signed certificate generated at start")
	fs.StringVar(&c.tlsCAFile, "tls-ca-file", "", "with -tls: where to write the certificate (PEM) clients must trust (default: oktasim-ca.pem in the temp dir)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed for generated events and fault draws")
	fs.BoolVar(&c.joinLinks, "join-links", false, "send the self and next links in one comma-joined Link header")
	fs.Float64Var(&c.fault5xx, "fault-5xx", 0, "probability of a 5xx answer (half 500 E0000009, half 503 HTML)")
	fs.Float64Var(&c.faultTruncate, "fault-truncate", 0, "probability of a 200 whose body is cut off")
	fs.Float64Var(&c.faultSlow, "fault-slow", 0, "probability of a slow answer")
	fs.DurationVar(&c.faultSlowDelay, "fault-slow-delay", oktasim.DefaultSlowDelay, "delay of a slow answer")
	fs.StringVar(&c.oauthClientID, "oauth-client-id", "", "register an OAuth service app with this client_id (needs -oauth-public-key-file or -oauth-write-demo-key)")
	fs.StringVar(&c.oauthKeyFile, "oauth-public-key-file", "", "the OAuth app's public key: PEM (public or private key, certificate) or JWK")
	fs.StringVar(&c.oauthDemoKey, "oauth-write-demo-key", "", "generate an EC P-256 key pair, register its public half for the OAuth app, and write the private key (PKCS#8 PEM) to this path")
	fs.BoolVar(&c.oauthDPoP, "oauth-dpop", false, "the OAuth app requires DPoP (RFC 9449)")
	fs.StringVar(&c.adminRoles, "admin-roles", "READ_ONLY_ADMIN", "the admin roles of the token's user, comma-separated, as oktacheck reads them (e.g. SUPER_ADMIN)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	switch {
	case c.oauthClientID == "" && (c.oauthKeyFile != "" || c.oauthDemoKey != "" || c.oauthDPoP):
		return c, errors.New("-oauth-public-key-file, -oauth-write-demo-key and -oauth-dpop need -oauth-client-id")
	case c.oauthClientID != "" && (c.oauthKeyFile == "") == (c.oauthDemoKey == ""):
		return c, errors.New("-oauth-client-id needs exactly one of -oauth-public-key-file and -oauth-write-demo-key")
	}
	if c.tls && c.tlsCAFile == "" {
		c.tlsCAFile = filepath.Join(os.TempDir(), "oktasim-ca.pem")
	}
	return c, nil
}

// options turns the configuration into simulator options.
func (c config) options() oktasim.Options {
	prob := map[oktasim.FaultKind]float64{}
	if c.fault5xx > 0 {
		prob[oktasim.Fault500] = c.fault5xx / 2
		prob[oktasim.Fault503HTML] = c.fault5xx / 2
	}
	if c.faultTruncate > 0 {
		prob[oktasim.FaultTruncate] = c.faultTruncate
	}
	if c.faultSlow > 0 {
		prob[oktasim.FaultSlow] = c.faultSlow
	}
	admin := oktasim.DefaultAdmin()
	admin.Roles = nil
	for r := range strings.SplitSeq(c.adminRoles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			admin.Roles = append(admin.Roles, r)
		}
	}
	return oktasim.Options{
		Admin:         admin,
		Token:         c.token,
		JoinLinks:     c.joinLinks,
		RateLimit:     c.rateLimit,
		RateWindow:    time.Minute,
		MaxConcurrent: c.maxConcurrent,
		Seed:          c.seed,
		Faults:        oktasim.Faults{Prob: prob, SlowDelay: c.faultSlowDelay},
	}
}

// oauthApp loads or generates the OAuth app's key; nil without -oauth-client-id.
func (c config) oauthApp(stderr io.Writer) (*oktasim.OAuthApp, error) {
	if c.oauthClientID == "" {
		return nil, nil
	}
	app := &oktasim.OAuthApp{ClientID: c.oauthClientID, RequireDPoP: c.oauthDPoP}
	if c.oauthDemoKey != "" {
		pub, err := oktasim.WriteDemoKey(c.oauthDemoKey)
		if err != nil {
			return nil, fmt.Errorf("-oauth-write-demo-key: %w", err)
		}
		app.PublicKey = pub
		fmt.Fprintf(stderr, "oktasim: OAuth demo private key written to %s\n", c.oauthDemoKey)
	} else {
		data, err := os.ReadFile(c.oauthKeyFile)
		if err != nil {
			return nil, fmt.Errorf("-oauth-public-key-file: %w", err)
		}
		if app.PublicKey, err = oktasim.ParsePublicKey(data); err != nil {
			return nil, fmt.Errorf("-oauth-public-key-file %s: %w", c.oauthKeyFile, err)
		}
	}
	fmt.Fprintf(stderr, "oktasim: OAuth service app client_id %s (DPoP required: %v); token endpoint %s\n", c.oauthClientID, c.oauthDPoP, oktasim.TokenPath)
	return app, nil
}

// run serves the simulator until ctx is done. It prints the listening line to stdout once the
// listener is up.
func run(ctx context.Context, c config, stdout, stderr io.Writer) error {
	opts := c.options()
	app, err := c.oauthApp(stderr)
	if err != nil {
		return err
	}
	opts.OAuth = app
	sim, err := oktasim.New(opts)
	if err != nil {
		return err
	}
	now := time.Now()
	if err := sim.AddBacklog(c.backlog, now.Add(-c.backlogAge), now); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if c.tls {
		cert, err := selfSigned(c.tlsCAFile)
		if err != nil {
			ln.Close()
			return err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
		fmt.Fprintf(stderr, "oktasim: CA certificate written to %s\n", c.tlsCAFile)
	}

	streamCtx, stopStream := context.WithCancel(ctx)
	defer stopStream()
	streamDone := sim.StartStream(streamCtx, c.rate, c.late, c.lateMax)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	token := "token: " + c.token
	if c.token == "" {
		token = "no auth"
	}
	fmt.Fprintf(stdout, "oktasim listening on %s://%s (%s)\n", scheme, displayAddr(ln.Addr()), token)
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync() // a pipe cannot sync; stdout is unbuffered anyway
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopStream()
	<-streamDone
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr shows an unspecified listen address (":0", "0.0.0.0:0") as loopback.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// selfSigned makes a self-signed certificate for localhost, 127.0.0.1 and ::1 that is its own
// CA, and writes it as PEM to caFile for clients to trust.
func selfSigned(caFile string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "oktasim", Organization: []string{"oktasim test CA"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(caFile, certPEM, 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func main() {
	c, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktasim:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, c, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktasim:", err)
		os.Exit(1)
	}
}
