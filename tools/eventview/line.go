package eventview

import (
	"strings"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Column widths, in characters; a longer value keeps one space before the next column, except the actor,
// which is shortened to its width.
const (
	timeWidth     = 20 // 2026-11-25T16:24:12Z
	eventWidth    = 40 // most event types; longer ones push the line
	categoryWidth = 15 // user_management
	actorWidth    = 32
	outcomeWidth  = 9 // CHALLENGE
)

// missing stands for an attribute the event does not have.
const missing = "-"

// Header names the columns of Line.
func Header() string {
	return columns("TIME (UTC)", "EVENT TYPE", "CATEGORY", "ACTOR", "OUTCOME", "CLIENT")
}

// Line is one event on one line: when Okta published it (UTC, to the second), its event type, its
// okta.event.category, the actor (alternate id, else display name, else id), the outcome's result, and the
// client's address with its country code; the outcome's reason follows when there is one.
func Line(lr plog.LogRecord) string {
	when := missing
	if ts := lr.Timestamp(); ts != 0 {
		when = ts.AsTime().UTC().Format(time.RFC3339)
	}
	event := lr.EventName()
	if event == "" {
		event = missing
	}
	client := attr(lr, "client.address")
	if cc := attr(lr, "geo.country.iso_code"); cc != missing {
		client += " (" + cc + ")"
	}
	line := columns(when, event, attr(lr, "okta.event.category"),
		shorten(first(attr(lr, "okta.actor.alternate_id"), attr(lr, "okta.actor.display_name"), attr(lr, "okta.actor.id")), actorWidth),
		attr(lr, "okta.outcome.result"), client)
	if reason := attr(lr, "okta.outcome.reason"); reason != missing {
		line += "  " + reason
	}
	return line
}

func columns(when, event, category, actor, outcome, client string) string {
	var b strings.Builder
	pad(&b, when, timeWidth)
	pad(&b, event, eventWidth)
	pad(&b, category, categoryWidth)
	pad(&b, actor, actorWidth)
	pad(&b, outcome, outcomeWidth)
	b.WriteString(client)
	return b.String()
}

// pad writes s and then spaces up to width, and always at least two.
func pad(b *strings.Builder, s string, width int) {
	b.WriteString(s)
	b.WriteString(strings.Repeat(" ", max(width-utf8.RuneCountInString(s), 0)+2))
}

// attr is the string value of a record attribute, or missing.
func attr(lr plog.LogRecord, key string) string {
	v, ok := lr.Attributes().Get(key)
	if !ok || v.AsString() == "" {
		return missing
	}
	return v.AsString()
}

// first is the first value that is not missing.
func first(values ...string) string {
	for _, v := range values {
		if v != missing {
			return v
		}
	}
	return missing
}

// shorten cuts s to width characters, ending in "…" when it was longer.
func shorten(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	return string([]rune(s)[:width-1]) + "…"
}
