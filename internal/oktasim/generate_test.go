package oktasim

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"testing"
	"time"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestGeneratorEvents(t *testing.T) {
	g := NewGenerator(7)
	const n = 3000
	seenUUID := map[string]bool{}
	seenType := map[string]bool{}
	seenSeverity := map[string]bool{}
	quirks := map[string]int{}
	var sizes []int
	for i := range n {
		pub := t0.Add(time.Duration(i) * 1234567 * time.Microsecond)
		raw := g.Event(pub)
		sizes = append(sizes, len(raw))
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			t.Fatalf("event %d is not valid JSON: %v", i, err)
		}
		if !bytes.Equal(compact.Bytes(), raw) {
			t.Fatalf("event %d is not compact", i)
		}
		e, err := parseEvent(raw)
		if err != nil {
			t.Fatalf("event %d rejected by Add: %v", i, err)
		}
		if !uuidV4.MatchString(e.uuid) || seenUUID[e.uuid] {
			t.Fatalf("event %d: uuid %q not a fresh UUID v4", i, e.uuid)
		}
		seenUUID[e.uuid] = true

		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m["published"] != pub.UTC().Format("2006-01-02T15:04:05.000Z") {
			t.Fatalf("published %v, want %s", m["published"], pub.UTC().Format("2006-01-02T15:04:05.000Z"))
		}
		et, _ := m["eventType"].(string)
		sev, _ := m["severity"].(string)
		actor, _ := m["actor"].(map[string]any)
		if et == "" || m["version"] != "0" || actor["id"] == nil || actor["type"] == nil {
			t.Fatalf("event %d lacks a non-nullable field: %s", i, raw)
		}
		seenType[et], seenSeverity[sev] = true, true
		if name, _ := actor["displayName"].(string); name == "Zoë Ångström" || name == "李小龙" {
			quirks["non-ASCII name"]++
		}

		client, hasClient := m["client"].(map[string]any)
		if hasClient {
			if client["zone"] == "null" {
				quirks["zone string null"]++
			}
			ip, err := netip.ParseAddr(client["ipAddress"].(string))
			switch {
			case err != nil:
				t.Fatalf("client.ipAddress %v", client["ipAddress"])
			case ip.Is6():
				quirks["IPv6"]++
			default:
				quirks["IPv4"]++
			}
		} else {
			quirks["field missing"]++
		}
		switch tgt, ok := m["target"]; {
		case !ok:
			quirks["target missing"]++
		case tgt == nil:
			quirks["target null"]++
		case len(tgt.([]any)) == 0:
			quirks["target []"]++
		}
		if out, ok := m["outcome"]; ok && out == nil {
			quirks["outcome null"]++
		}
		if x, ok := m["newField2027"].(map[string]any); ok {
			if !slices.Equal(x["x"].([]any), []any{1.0, 2.5, true, nil}) {
				t.Fatalf("newField2027 = %v", x)
			}
			quirks["unknown field"]++
		}
		if dc, ok := m["debugContext"].(map[string]any); ok {
			if dd, _ := json.Marshal(dc["debugData"]); len(dd) > 5000 {
				quirks["large debugData"]++
			}
		}
	}
	for _, q := range []string{"non-ASCII name", "zone string null", "IPv6", "IPv4", "field missing", "target missing",
		"target null", "target []", "outcome null", "unknown field", "large debugData"} {
		if quirks[q] == 0 {
			t.Errorf("no event with %s in %d", q, n)
		}
	}
	if quirks["IPv6"] < n/10 || quirks["zone string null"] < n/2 {
		t.Errorf("quirk counts %v", quirks)
	}
	for _, et := range []string{"user.session.start", "user.authentication.sso", "user.authentication.auth_via_mfa",
		"user.lifecycle.create", "user.account.lock", "group.user_membership.add", "application.lifecycle.update",
		"app.oauth2.token.grant.access_token", "policy.evaluate_sign_on", "system.org.rate_limit.warning",
		"security.threat.detected", "iam.role.create", "zone.update"} {
		if !seenType[et] {
			t.Errorf("no %s event", et)
		}
	}
	for _, s := range []string{"DEBUG", "INFO", "WARN", "ERROR"} {
		if !seenSeverity[s] {
			t.Errorf("no %s event", s)
		}
	}
	sort.Ints(sizes)
	if median := sizes[n/2]; median < 1500 || median > 3000 {
		t.Errorf("median event size %d bytes, want 1.5-3 KB", median)
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b, c := NewGenerator(5), NewGenerator(5), NewGenerator(6)
	for range 20 {
		x, y, z := a.Event(t0), b.Event(t0), c.Event(t0)
		if !bytes.Equal(x, y) {
			t.Fatal("same seed, different events")
		}
		if bytes.Equal(x, z) {
			t.Fatal("different seeds, same event")
		}
	}
}

func TestAddBacklog(t *testing.T) {
	f := newFixture(t, Options{Seed: 9})
	from, to := t0.Add(-48*time.Hour), t0
	if err := f.sim.AddBacklog(500, from, to); err != nil {
		t.Fatal(err)
	}
	if err := f.sim.AddBacklog(1, to, from); err == nil {
		t.Error("AddBacklog accepted from after to")
	}
	f.sim.store.mu.RLock()
	events := slices.Clone(f.sim.store.events)
	f.sim.store.mu.RUnlock()
	if len(events) != 500 || len(f.sim.Ledger()) != 500 {
		t.Fatalf("%d events stored", len(events))
	}
	sinceHour := 0
	for _, e := range events {
		if e.published.Before(from) || e.published.After(to) || e.persisted.Before(e.published.Truncate(time.Millisecond)) ||
			e.persisted.After(t0) || e.persisted.Sub(e.published) > 2*time.Second {
			t.Fatalf("event published %v persisted %v, outside [%v, %v] or not just after", e.published, e.persisted, from, to)
		}
		if !e.persisted.Before(t0.Add(-time.Hour)) {
			sinceHour++
		}
	}
	// Already persisted: a polling query from an hour ago returns the last hour of it only.
	r := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "1000")
	if got := len(pageUUIDs(t, r.body)); got != sinceHour || got == 0 || got > 50 {
		t.Fatalf("polling from an hour ago returned %d events, want the %d persisted since", got, sinceHour)
	}
}
