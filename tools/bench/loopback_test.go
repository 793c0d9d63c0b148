package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrgHostsAreDistinctLoopbackAddresses(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		h := OrgHost(i)
		ip := net.ParseIP(h).To4()
		if ip == nil || !ip.IsLoopback() || ip[3] == 0 || ip[3] == 255 || h == "127.0.0.1" {
			t.Fatalf("org %d: %s is not a usable loopback address of its own", i, h)
		}
		if seen[h] {
			t.Fatalf("org %d: %s used twice", i, h)
		}
		seen[h] = true
	}
}

func TestStartOrgsServeEachOrgOnItsAddressWithItsToken(t *testing.T) {
	dir := t.TempDir()
	orgs, err := StartOrgs(context.Background(), OrgsParams{Orgs: 2, Events: 3, Seed: 7}, dir, nil)
	if err != nil {
		t.Fatalf("starting two orgs on 127.1.0.x (Linux routes 127.0.0.0/8 to lo): %v", err)
	}
	defer CloseOrgs(orgs)
	pem, err := os.ReadFile(orgs[0].CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("ca.pem holds no certificate")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	get := func(o *Org, token string) (int, []map[string]any) {
		t.Helper()
		since := time.Now().Add(-72 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
		req, _ := http.NewRequest(http.MethodGet, o.URL+"/api/v1/logs?limit=1000&sortOrder=ASCENDING&since="+since, nil)
		req.Header.Set("Authorization", "SSWS "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", o.URL, err)
		}
		defer resp.Body.Close()
		var events []map[string]any
		if resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(&events); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode, events
	}
	var requests atomic.Int32
	orgs[1].OnRequest(func() { requests.Add(1) })
	uuids := map[string]bool{}
	for i, o := range orgs {
		if !strings.HasPrefix(o.URL, "https://"+OrgHost(i)+":") || o.Token != orgToken(i) {
			t.Errorf("org %d at %s with token %q", i, o.URL, o.Token)
		}
		status, events := get(o, o.Token)
		if status != http.StatusOK || len(events) != 3 {
			t.Fatalf("org %d: HTTP %d, %d events, want 200 and its backlog of 3", i, status, len(events))
		}
		for _, ev := range events {
			uuids[ev["uuid"].(string)] = true
		}
	}
	if len(uuids) != 6 {
		t.Errorf("the orgs share events: %d distinct uuids of 6", len(uuids))
	}
	if status, _ := get(orgs[1], orgs[0].Token); status != http.StatusUnauthorized {
		t.Errorf("org 2 accepted org 1's token: HTTP %d", status)
	}
	if requests.Load() != 2 {
		t.Errorf("OnRequest saw %d of org 2's requests, want 2", requests.Load())
	}
}
