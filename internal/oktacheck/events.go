package oktacheck

import (
	"encoding/json"
	"fmt"
	"time"
)

// event is what a line shows of a System Log event.
type event struct {
	Published string `json:"published"`
	EventType string `json:"eventType"`
	Actor     struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		AlternateID string `json:"alternateId"`
		DisplayName string `json:"displayName"`
	} `json:"actor"`
	Outcome *struct {
		Result string `json:"result"`
	} `json:"outcome"`
}

// maxField bounds one field of an event line.
const maxField = 120

// events reports the newest events of the page, newest first. date is Okta's clock when it answered (zero
// when unknown: this host's clock is used).
func (c *checker) events(body string, date time.Time) {
	var evs []event
	if err := json.Unmarshal([]byte(body), &evs); err != nil {
		c.r.add(CheckEvents, Fail, "Okta answered 200 with something that is not a list of System Log events (it begins "+
			fmt.Sprintf("%q", c.r.red.Clean(body, 80))+")",
			"a proxy or gateway between this host and Okta rewrote the answer? check --endpoint and --proxy-url (`proxy_url`)")
		return
	}
	if len(evs) == 0 {
		c.r.add(CheckEvents, OK, "no events in the last 7 days (Okta's window for this query): a quiet org, or a test org; sign in to it and run oktacheck again to see the sign-in arrive", "")
		return
	}
	if date.IsZero() {
		date = c.o.now()
	}
	text := fmt.Sprintf("the newest %d events (time published, type, actor, outcome):", len(evs))
	if t, err := time.Parse(time.RFC3339Nano, evs[0].Published); err == nil {
		text = fmt.Sprintf("the newest %d events, the newest published %s ago (time published, type, actor, outcome):",
			len(evs), max(date.Sub(t), 0).Round(time.Second))
	}
	lines := make([]string, len(evs))
	for i, e := range evs {
		lines[i] = c.eventLine(e)
	}
	c.r.add(CheckEvents, OK, text, "", lines...)
}

func (c *checker) eventLine(e event) string {
	published := e.Published
	if t, err := time.Parse(time.RFC3339Nano, e.Published); err == nil {
		published = t.UTC().Format("2006-01-02T15:04:05Z")
	}
	actor := e.Actor.AlternateID
	if actor == "" || actor == "unknown" {
		actor = e.Actor.DisplayName
	}
	if actor == "" {
		actor = e.Actor.ID
	}
	if e.Actor.Type != "" && e.Actor.Type != "User" {
		actor += " (" + e.Actor.Type + ")"
	}
	outcome := "-"
	if e.Outcome != nil && e.Outcome.Result != "" {
		outcome = e.Outcome.Result
	}
	clean := func(s string) string { return c.r.red.Clean(s, maxField) }
	return fmt.Sprintf("%-20s  %-40s  %-32s  %s", clean(published), clean(e.EventType), clean(actor), clean(outcome))
}
