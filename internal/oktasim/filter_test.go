package oktasim

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

const filterEvent = `{
  "uuid": "f1", "eventType": "user.session.start", "severity": "WARN", "published": "2026-11-24T09:00:00.000Z",
  "actor": {"id": "00u1", "type": "User", "alternateId": "zoe.angstrom@example.com", "displayName": "Zoë Ångström"},
  "outcome": {"result": "FAILURE", "reason": null},
  "client": {"zone": "null", "ipAddress": "2600:1700::1"},
  "securityContext": {"asNumber": 7018, "isProxy": false},
  "target": [{"id": "0oa1", "type": "AppInstance"}, {"id": "00u2", "type": "User"}],
  "debugContext": {"debugData": {"url": "/api/v1/logs?"}}
}`

func TestFilterEvaluation(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(filterEvent), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter string
		want   bool
	}{
		{`eventType eq "user.session.start"`, true},
		{`eventType eq "user.session.end"`, false},
		{`eventType EQ "USER.SESSION.START"`, true},
		{`eventType sw "user."`, true},
		{`eventType sw "group."`, false},
		{`eventType ne "user.session.end"`, true},
		{`eventType co "session"`, true},
		{`eventType ew ".start"`, true},
		{`actor.alternateId eq "zoe.angstrom@example.com"`, true},
		{`actor.displayName co "ångström"`, true},
		{`outcome.result eq "FAILURE"`, true},
		{`severity eq "WARN" and outcome.result eq "SUCCESS"`, false},
		{`severity eq "INFO" or outcome.result eq "FAILURE"`, true},
		{`not (severity eq "INFO")`, true},
		{`not severity eq "WARN"`, false},
		{`(eventType sw "user." or eventType sw "group.") and severity eq "WARN"`, true},
		{`eventType sw "group." or eventType sw "app." and severity eq "WARN"`, false},
		{`actor.id pr`, true},
		{`outcome.reason pr`, false},
		{`device pr`, false},
		{`device.id ne "x"`, true},
		{`target.type eq "User"`, true},
		{`target.type eq "UserGroup"`, false},
		{`securityContext.asNumber gt 7000`, true},
		{`securityContext.asNumber le 7000`, false},
		{`securityContext.isProxy eq false`, true},
		{`outcome.reason eq null`, true},
		{`client.zone eq "null"`, true},
	}
	for _, tc := range tests {
		n, err := parseFilter(tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.filter, err)
			continue
		}
		if got := n.eval(doc); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestFilterAndKeywordsOverHTTP(t *testing.T) {
	f := newFixture(t, Options{})
	if err := f.sim.Add(
		[]byte(filterEvent),
		ev("s2", t0, "user.session.start", `"actor":{"displayName":"李小龙","alternateId":"xiaolong.li@example.com"}`),
		ev("g1", t0, "group.user_membership.add", `"actor":{"displayName":"John Doe"}`),
	); err != nil {
		t.Fatal(err)
	}
	since := rfc(t0.Add(-2 * time.Hour))
	tests := []struct {
		kv   []string
		want []string
	}{
		{[]string{"filter", `eventType eq "user.session.start"`}, []string{"f1", "s2"}},
		{[]string{"filter", `eventType sw "group."`}, []string{"g1"}},
		{[]string{"filter", `actor.displayName eq "李小龙"`}, []string{"s2"}},
		{[]string{"q", "ZOË"}, []string{"f1"}},
		{[]string{"q", "session 李小龙"}, []string{"s2"}},
		{[]string{"q", "session nobody"}, nil},
		{[]string{"q", "doe", "filter", `eventType sw "user."`}, nil},
	}
	for _, tc := range tests {
		for _, bounded := range []bool{false, true} {
			kv := append([]string{"since", since}, tc.kv...)
			if bounded {
				kv = append(kv, "until", rfc(t0.Add(time.Hour)))
			}
			r := f.logs(t, kv...)
			got := pageUUIDs(t, r.body)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("%v (bounded %v): got %v, want %v", tc.kv, bounded, got, tc.want)
			}
		}
	}
}
