package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// checkpointKey is the storage key of the cursor; the version inside the value says how to read it.
const (
	checkpointKey     = "okta_cursor"
	checkpointVersion = 1
	// maxBoundaryUUIDs bounds the uuids kept for one instant: more events than this in one millisecond are
	// unheard of, and the cap keeps a checkpoint small whatever the org sends.
	maxBoundaryUUIDs = 1000
)

// cursor is the receiver's place in the org's System Log. It is written to storage only after the pipeline
// accepted every event before it.
type cursor struct {
	Version int    `json:"version"`
	Org     string `json:"org"`
	// Next is the rel="next" link of the last page delivered: where the polling query goes on.
	Next string `json:"next,omitempty"`
	// Since is where the polling query started, used when no event has been delivered yet.
	Since time.Time `json:"since"`
	// LastPublished is the newest `published` delivered; BoundaryUUIDs are the events delivered with
	// exactly that `published`. A new polling query from LastPublished skips those and repeats nothing else
	// that matters: an event Okta stores later is still returned, as the polling query filters on the time
	// Okta stored it, which is never before its `published`.
	LastPublished time.Time `json:"last_published,omitzero"`
	BoundaryUUIDs []string  `json:"boundary_uuids,omitempty"`
	// The query parameters the Next link carries; a change of any of them means the link must not be
	// followed any more.
	Filter   string `json:"filter,omitempty"`
	Query    string `json:"query,omitempty"`
	PageSize int    `json:"page_size"`
	// Written is when the checkpoint was stored.
	Written time.Time `json:"written"`
}

// resumeSince is where a new polling query starts when the Next link cannot be followed.
func (c *cursor) resumeSince() time.Time {
	if c.LastPublished.After(c.Since) {
		return c.LastPublished
	}
	return c.Since
}

// isBoundary reports whether an event was already delivered at the checkpoint's instant.
func (c *cursor) isBoundary(ev mapping.Event) bool {
	if ev.Published.IsZero() || !ev.Published.Equal(c.LastPublished) {
		return false
	}
	for _, u := range c.BoundaryUUIDs {
		if u == ev.UUID {
			return true
		}
	}
	return false
}

// advance moves the cursor past a delivered page.
func (c *cursor) advance(next string, events []mapping.Event) {
	c.Next = next
	for _, ev := range events {
		switch {
		case ev.Published.IsZero():
		case ev.Published.After(c.LastPublished):
			c.LastPublished = ev.Published
			c.BoundaryUUIDs = append(c.BoundaryUUIDs[:0], ev.UUID)
		case ev.Published.Equal(c.LastPublished) && len(c.BoundaryUUIDs) < maxBoundaryUUIDs && !c.isBoundary(ev):
			c.BoundaryUUIDs = append(c.BoundaryUUIDs, ev.UUID)
		}
	}
}

func (c *cursor) marshal() ([]byte, error) {
	c.Version = checkpointVersion
	return json.Marshal(c)
}

func unmarshalCursor(b []byte) (*cursor, error) {
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("not a checkpoint of this receiver: %w", err)
	}
	if c.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint version %d, this receiver reads version %d", c.Version, checkpointVersion)
	}
	if c.Org == "" || c.PageSize < 1 || c.Since.IsZero() {
		return nil, errors.New("checkpoint lacks its org, page size or start time")
	}
	return &c, nil
}
