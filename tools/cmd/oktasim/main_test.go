package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{addr: "127.0.0.1:8080", token: "sim-token", backlog: 5000, backlogAge: 48 * time.Hour, rate: 2,
		late: 0.1, lateMax: 10 * time.Minute, seed: 1, faultSlowDelay: oktasim.DefaultSlowDelay, adminRoles: "READ_ONLY_ADMIN"}
	if c != want {
		t.Fatalf("defaults %+v, want %+v", c, want)
	}

	c, err = parseFlags([]string{"-addr", ":0", "-token", "t", "-backlog", "7", "-backlog-age", "1h", "-rate", "0.5",
		"-late", "0.2", "-late-max", "1m", "-rate-limit", "20", "-max-concurrent", "3", "-seed", "9", "-join-links",
		"-fault-5xx", "0.1", "-fault-truncate", "0.05", "-fault-slow", "0.02", "-fault-slow-delay", "3s", "-tls", "-admin-roles", "SUPER_ADMIN, READ_ONLY_ADMIN"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := c.options()
	if roles := o.Admin.Roles; len(roles) != 2 || roles[0] != "SUPER_ADMIN" || roles[1] != "READ_ONLY_ADMIN" {
		t.Errorf("admin roles %v", roles)
	}
	if o.Token != "t" || o.RateLimit != 20 || o.RateWindow != time.Minute || o.MaxConcurrent != 3 || o.Seed != 9 || !o.JoinLinks ||
		o.Faults.Prob[oktasim.Fault500] != 0.05 || o.Faults.Prob[oktasim.Fault503HTML] != 0.05 ||
		o.Faults.Prob[oktasim.FaultTruncate] != 0.05 || o.Faults.Prob[oktasim.FaultSlow] != 0.02 || o.Faults.SlowDelay != 3*time.Second {
		t.Fatalf("options %+v", o)
	}
	if c.backlog != 7 || c.backlogAge != time.Hour || c.rate != 0.5 || c.late != 0.2 || c.lateMax != time.Minute || c.tlsCAFile == "" {
		t.Fatalf("config %+v", c)
	}
	if _, err := oktasim.New(o); err != nil {
		t.Fatalf("options rejected: %v", err)
	}

	for _, bad := range [][]string{{"-nope"}, {"-backlog", "many"}, {"extra"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

var listening = regexp.MustCompile(`^oktasim listening on (https?://127\.0\.0\.1:\d+) \(token: sim-token\)\n$`)

// start runs the command with c and returns its URL and a function that stops it and returns
// run's error.
func start(t *testing.T, c config) (string, func() error) {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, c, pw, io.Discard); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no listening line: %v (run: %v)", err, <-errc)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	m := listening.FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("listening line %q", line)
	}
	return m[1], func() error { cancel(); return <-errc }
}

func TestRunServesAndStops(t *testing.T) {
	c, _ := parseFlags([]string{"-addr", ":0", "-backlog", "40", "-backlog-age", "1h", "-rate", "0"}, io.Discard)
	url, stop := start(t, c)
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/logs?limit=1000", nil)
	req.Header.Set("Authorization", "SSWS sim-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page []json.RawMessage
	err = json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || len(page) != 40 {
		t.Fatalf("status %d, %d events, %v", res.StatusCode, len(page), err)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := http.Get(url + "/sim/stats"); err == nil {
		t.Fatal("still serving after stop")
	}
}

func TestRunTLS(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	c, _ := parseFlags([]string{"-addr", "127.0.0.1:0", "-backlog", "1", "-rate", "0", "-tls", "-tls-ca-file", caFile}, io.Discard)
	url, stop := start(t, c)
	defer func() { _ = stop() }()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/logs", nil)
	req.Header.Set("Authorization", "SSWS sim-token")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(res.Header.Values("Link")) != 2 || res.Header.Get("Link")[:9] != "<https://" {
		t.Fatalf("status %d, links %v", res.StatusCode, res.Header.Values("Link"))
	}
}
